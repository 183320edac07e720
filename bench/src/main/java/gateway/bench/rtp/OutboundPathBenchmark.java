package gateway.rtp;

import gateway.bench.SpeechLevelTone;
import gateway.time.Clock;
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
 * The agent leg per 20 ms pacer tick: 480 samples at 24 kHz → down-sample to 160 → G.711 → 12-byte RTP header +
 * payload, written into one reused pooled direct buffer (the role of {@link DatagramTransmitter}'s buffer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboundPathBenchmark {

    /** Plays a fixed frame from a {@link PlayoutBuffer}, as the bridge's playout does. */
    static final class Playout implements MediaListener {
        final PlayoutBuffer buffer = new PlayoutBuffer(24_000);
        final short[] frame = SpeechLevelTone.pcm(1000, 24_000, RtpPacketizer.FRAME_24K);

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            buffer.write(frame, 0, length);
            return buffer.read(pcm24k, 0, length) == length;
        }

        @Override
        public void onMediaFault(Throwable error) {
            throw new IllegalStateException("media fault in the benchmark", error);
        }
    }

    /** Hands out the one reused buffer and "sends" by clearing it. */
    static final class ReusedBufferSink implements PacketSink {
        final ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        long bytes;

        @Override
        public boolean hasRemote() {
            return true;
        }

        @Override
        public ByteBuf acquire() {
            buf.clear();
            return buf;
        }

        @Override
        public void send(ByteBuf packet) {
            bytes += packet.readableBytes();
        }
    }

    private final short[] frame = SpeechLevelTone.pcm(1000, 24_000, RtpPacketizer.FRAME_24K);
    private final RtpStats stats = new RtpStats();
    private final ReusedBufferSink sink = new ReusedBufferSink();
    private RtpPacketizer packetizer;
    private OutboundAudioPath tickPath;
    private long tick;

    @Setup
    public void setUp() {
        packetizer = new RtpPacketizer(G711.PCMU, G711.PCMU.payloadType(), 0x1234_5678L, 1, 0);
        Playout playout = new Playout();
        RtpProblems problems = new RtpProblems("bench", stats, playout, Clock.system(),
                System.getLogger(OutboundPathBenchmark.class.getName()));
        tickPath = new OutboundAudioPath(playout,
                new RtpPacketizer(G711.PCMU, G711.PCMU.payloadType(), 0x1234_5678L, 1, 0), sink, stats, problems);
    }

    @TearDown
    public void tearDown() {
        sink.buf.release();
    }

    /** {@link RtpPacketizer#writePacket}: down-sample + encode + header write into the cleared buffer. */
    @Benchmark
    public int packetize() {
        ByteBuf out = sink.acquire();
        packetizer.writePacket(frame, true, out);
        return out.writerIndex();
    }

    /** A whole {@link OutboundAudioPath#onTick}: 480 samples through a PlayoutBuffer, then packetize and send. */
    @Benchmark
    public long tick() {
        tickPath.onTick(tick++);
        return sink.bytes;
    }
}
