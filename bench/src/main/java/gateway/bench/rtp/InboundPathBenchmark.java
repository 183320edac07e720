package gateway.bench.rtp;

import gateway.bench.EventLoopThreads;
import gateway.bench.SpeechLevelTone;
import gateway.rtp.G711;
import gateway.rtp.G722Encoder;
import gateway.rtp.MediaListener;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpCodec;
import gateway.rtp.RtpSession;
import gateway.rtp.RtpStreamSpec;
import gateway.rtp.Wideband;
import gateway.time.CallTimeline;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The caller leg per datagram, as the socket hands it to the pipeline: an {@link RtpSession} attached to an
 * {@link EmbeddedChannel}, and one pooled direct datagram written to it again each operation with its sequence number
 * and timestamp moved on, as the next packet from the network would be. Each operation runs the session's receive
 * handler (validate, latch, payload-type filter, sequence tracking, gap fill, G.711 decode, 8 → 24 kHz, deliver,
 * the wheel's due-tick check, release), and, since the jitter buffer, the receive statistics, the playout delay's
 * estimate and the buffer or concealment where a packet is missing. The wheel's clock is a {@link ManualScheduler}
 * moved on with the packets' timestamps (20 ms a packet, as they would arrive), and the session's answer instant lies
 * an hour ahead, so its pacer's first tick never falls due while measuring: the operation is the inbound path alone.
 */
@Fork(jvmArgsPrepend = {EventLoopThreads.EXECUTOR, EventLoopThreads.EXECUTOR_CLASS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboundPathBenchmark {

    /** A 20 ms G.711 packet: 160 code bytes. */
    private static final int PAYLOAD = 160;
    private static final int RTP_HEADER = 12;
    private static final int TELEPHONE_EVENT_PT = 101;
    private static final int CALLER_SSRC = 0x1234_5678;
    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10_000);
    /** The answer instant, this far ahead of the clock: the pacer does not tick while the benchmark runs. */
    private static final long ANSWER_AHEAD_NANOS = 3_600_000_000_000L;
    private static final long NANOS_PER_RTP_UNIT = 125_000;

    /** A 20 ms packet in order: decode 160, up-sample to 480, deliver. */
    @Benchmark
    public long packetInOrder(InOrder s) {
        return s.receiveNext();
    }

    /**
     * A header-only packet (no payload), next sequence number, same timestamp: the handler's per-datagram work and
     * the sequence/position step (RFC 3550 A.1) with nothing to decode or fill.
     */
    @Benchmark
    public long headerOnlyPacket(HeaderOnly s) {
        return s.receiveNext();
    }

    /**
     * Every other packet lost (sequence +2, timestamp +320, 40 ms on): the missing packet's wait is over when the
     * next arrives, so 20 ms are concealed (pitch repetition, faded), up-sampled and delivered, then the packet
     * decoded, cross-faded and delivered; 960 samples out per operation.
     */
    @Benchmark
    public long packetAfterOneLost(OneLost s) {
        return s.receiveNext();
    }

    /**
     * Every third packet one place early (1, 3, 2, 4, 6, 5, …): the jitter buffer holds the early one until the
     * missing one comes, then both play in order; 480 samples out per operation on average, nothing concealed.
     */
    @Benchmark
    public long packetReordered(Reordered s) {
        return s.receiveNext();
    }

    /** A 20 ms G.722 packet in order (RFC 3551 §4.5.2: 160 octets, RTP clock 8 kHz): decode 320 at 16 kHz, 16 → 24. */
    @Benchmark
    public long g722PacketInOrder(G722InOrder s) {
        return s.receiveNext();
    }

    /** 20 ms packets in sequence. */
    @State(Scope.Thread)
    public static class InOrder extends Receiver {
        public InOrder() {
            super(G711.PCMU, PAYLOAD, new int[] {0}, 1);
        }
    }

    /** Header-only packets, timestamp unchanged. */
    @State(Scope.Thread)
    public static class HeaderOnly extends Receiver {
        public HeaderOnly() {
            super(G711.PCMU, 0, new int[] {0}, 1);
        }
    }

    /** 20 ms packets, every other one missing. */
    @State(Scope.Thread)
    public static class OneLost extends Receiver {
        public OneLost() {
            super(G711.PCMU, PAYLOAD, new int[] {0}, 2);
        }
    }

    /** 20 ms packets, every third one overtaking the one before it. */
    @State(Scope.Thread)
    public static class Reordered extends Receiver {
        public Reordered() {
            super(G711.PCMU, PAYLOAD, new int[] {0, 2, 1}, 3);
        }

        /** The first overtaking finds the buffer at zero depth (a clean network so far): that one packet is late. */
        @Override
        long lateAllowed() {
            return 1;
        }
    }

    /** 20 ms G.722 packets in sequence. */
    @State(Scope.Thread)
    public static class G722InOrder extends Receiver {
        public G722InOrder() {
            super(Wideband.G722, PAYLOAD, new int[] {0}, 1);
        }
    }

    /**
     * One session and its caller: a datagram of {@code payloadBytes} (20 ms of audio, or none), sent as the packets of
     * each cycle of {@code span} sequence numbers in the order {@code arrival} gives (offsets within the cycle; an
     * offset never listed is a lost packet), each with the timestamp its sequence number implies.
     */
    public abstract static class Receiver {
        private final RtpCodec codec;
        private final int payloadBytes;
        private final int[] arrival;
        private final int span;
        /** RTP clock units per sequence number: 20 ms of audio, or none for header-only packets. */
        private final int timestampPerPacket;
        private final ManualScheduler scheduler = new ManualScheduler();
        private final Sink sink = new Sink();
        private EmbeddedChannel channel;
        private RtpSession session;
        private DatagramPacket datagram;
        private long packets;

        Receiver(RtpCodec codec, int payloadBytes, int[] arrival, int span) {
            this.codec = codec;
            this.payloadBytes = payloadBytes;
            this.arrival = arrival;
            this.span = span;
            this.timestampPerPacket = payloadBytes == 0 ? 0 : PAYLOAD;
        }

        @Setup
        public void setUp() {
            EventLoopThreads.require();
            channel = new EmbeddedChannel();
            session = RtpSession.attach(channel, RtpStreamSpec.sendRecv(codec, TELEPHONE_EVENT_PT, CALLER),
                    new PacingWheel(scheduler), sink);
            session.start(scheduler.nanoTime() + ANSWER_AHEAD_NANOS);
            ByteBuf content = PooledByteBufAllocator.DEFAULT.directBuffer(RTP_HEADER + payloadBytes);
            content.writeByte(0x80);                          // V=2, no padding, no extension, no CSRC
            content.writeByte(codec.payloadType());           // no marker
            content.writeShort(0);                            // sequence number, set per operation
            content.writeInt(0);                              // timestamp, set per operation
            content.writeInt(CALLER_SSRC);                    // SSRC
            content.writeBytes(payload(codec, payloadBytes));
            datagram = new DatagramPacket(content, LOCAL, CALLER);
        }

        /** Packets the path may drop as late: none, unless the arrival order makes the buffer adapt. */
        long lateAllowed() {
            return 0;
        }

        /** 20 ms of a 1 kHz tone in the codec, or nothing. */
        private static byte[] payload(RtpCodec codec, int bytes) {
            return switch (codec) {
                case G711 law -> SpeechLevelTone.g711(law, 1000, bytes);
                case Wideband wideband -> {
                    byte[] octets = new byte[bytes];
                    new G722Encoder().encode(SpeechLevelTone.pcm(1000, 16_000, 2 * bytes), 0, 2 * bytes, octets, 0);
                    yield octets;
                }
            };
        }

        long receiveNext() {
            long cycle = packets / arrival.length;
            long sequence = 1 + cycle * span + arrival[(int) (packets % arrival.length)];
            packets++;
            long timestamp = sequence * timestampPerPacket;
            // Over a cycle the clock moves on by the audio of its span of sequence numbers, as the network would.
            scheduler.advanceNanos((long) span * timestampPerPacket * NANOS_PER_RTP_UNIT / arrival.length);
            ByteBuf content = datagram.content();
            content.setShort(2, (int) (sequence & 0xFFFF));
            content.setInt(4, (int) timestamp);
            // As the transport delivers a datagram; the handler releases it. (writeInbound would add a varargs array.)
            channel.pipeline().fireChannelRead(datagram.retain()).fireChannelReadComplete();
            return sink.checksum;
        }

        /**
         * Prints the session's counters and fails the run if the path did not do what it was meant to: a fault, late
         * or ignored packets, or other than 3 samples per code byte received plus 480 per packet lost.
         */
        @TearDown
        public void tearDown() {
            while (packets % arrival.length != 0) {
                receiveNext(); // the cycle's missing packets, so the jitter buffer holds nothing back
            }
            session.close();
            datagram.release();
            channel.finishAndReleaseAll();
            long received = session.packetsReceived();
            long lost = session.packetsLost();
            System.out.printf("%n# stats: received %d, lost %d, late %d, samples delivered %d%n", received, lost,
                    session.packetsDroppedLate(), sink.samples);
            long expected = received * payloadBytes * CallTimeline.SAMPLES_PER_RTP_UNIT
                    + lost * CallTimeline.FRAME_SAMPLES;
            if (sink.fault != null || session.packetsDroppedLate() > lateAllowed() || session.packetsIgnored() != 0
                    || sink.samples != expected) {
                throw new IllegalStateException("the inbound path did not run as intended: " + sink.samples
                        + " samples delivered, " + expected + " expected", sink.fault);
            }
        }
    }

    /** Sums one sample of each delivery, so the JIT cannot drop the work; keeps a fault for the tear-down. */
    static final class Sink implements MediaListener {
        long checksum;
        long samples;
        Throwable fault;

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            checksum += pcm24k[offset + length - 1] + position;
            samples += length;
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            return false;
        }

        @Override
        public void onMediaFault(Throwable error) {
            fault = error;
        }
    }
}
