package gateway.rtp;

import gateway.bench.SpeechLevelTone;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The caller leg per packet, as {@link RtpReceiveHandler} runs it after the socket read: {@link RtpPacket#check}
 * then {@link InboundAudioPath#onPacket} (header parse, sequence tracking, gap fill, G.711 decode, 8 → 24 kHz).
 * One real 172-byte PCMU packet sits in a pooled direct buffer (what the epoll transport hands the handler); each
 * operation rewrites its sequence number and timestamp in place, as the next packet from the network would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboundPathBenchmark {

    private static final int PAYLOAD = 160;
    private static final int SSRC = 0x1234_5678;

    /** Sums one sample of each delivery, so the JIT cannot drop the work. */
    static final class Sink implements MediaListener {
        long checksum;
        long samples;

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
            throw new IllegalStateException("media fault in the benchmark", error);
        }
    }

    private final Sink sink = new Sink();
    private final RtpStats stats = new RtpStats();
    private InboundAudioPath inbound;
    private InboundAudioPath headerOnly;
    private InboundAudioPath lossy;
    private ByteBuf packet;
    private ByteBuf header;
    private int sequence;
    private long timestamp;

    @Setup
    public void setUp() {
        inbound = new InboundAudioPath(sink, stats);
        headerOnly = new InboundAudioPath(sink, stats);
        lossy = new InboundAudioPath(sink, stats);
        inbound.start(0);
        headerOnly.start(0);
        lossy.start(0);
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(RtpPacket.FIXED_HEADER_LENGTH + PAYLOAD);
        RtpPacket.writeHeader(packet, true, G711.PCMU.payloadType(), 0, 0, SSRC);
        packet.writeBytes(SpeechLevelTone.g711(G711.PCMU, 1000, PAYLOAD));
        header = PooledByteBufAllocator.DEFAULT.directBuffer(RtpPacket.FIXED_HEADER_LENGTH);
        RtpPacket.writeHeader(header, false, G711.PCMU.payloadType(), 0, 0, SSRC);
    }

    @TearDown
    public void tearDown() {
        packet.release();
        header.release();
        System.out.println(System.lineSeparator() + "# stats: received " + stats.packetsReceived + ", lost " + stats.packetsLost
                + ", late " + stats.packetsDroppedLate + ", samples delivered " + sink.samples);
    }

    /** A 20 ms packet in order: check, parse, track, decode 160, up-sample to 480, deliver. */
    @Benchmark
    public long packetInOrder() {
        return receive(inbound, packet, 1, PAYLOAD);
    }

    /**
     * Sequence tracking alone: a header-only packet (no payload), next sequence number, same timestamp, so the path
     * runs check, parse and the RFC 3550 A.1 sequence/position step with nothing to decode.
     */
    @Benchmark
    public long sequenceTrackingOnly() {
        return receive(headerOnly, header, 1, 0);
    }

    /**
     * Every other packet lost: sequence +2, timestamp +320, so each operation is one gap fill (a 160-sample
     * silence frame up-sampled and delivered) plus one received packet decoded and delivered (960 samples out).
     */
    @Benchmark
    public long packetAfterOneLost() {
        return receive(lossy, packet, 2, 2 * PAYLOAD);
    }

    private long receive(InboundAudioPath path, ByteBuf buf, int sequenceStep, int timestampStep) {
        sequence = (sequence + sequenceStep) & 0xFFFF;
        timestamp += timestampStep;
        int off = buf.readerIndex();
        int len = buf.readableBytes();
        buf.setShort(off + 2, sequence);
        buf.setInt(off + 4, (int) timestamp);
        if (RtpPacket.check(buf, off, len) == RtpPacket.Check.VALID) {
            stats.packetsReceived++;
            path.onPacket(buf, off, len, G711.PCMU, 0);
        }
        return sink.checksum;
    }
}
