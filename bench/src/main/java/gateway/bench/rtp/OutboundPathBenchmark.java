package gateway.bench.rtp;

import gateway.bench.EventLoopThreads;
import gateway.bench.SpeechLevelTone;
import gateway.bridge.call.PlayoutBuffer;
import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpSession;
import gateway.rtp.RtpStreamSpec;
import gateway.time.CallTimeline;
import gateway.time.ManualScheduler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The agent leg per 20 ms tick, as the pacing wheel runs it: an {@link RtpSession} attached to an
 * {@link EmbeddedChannel}, its {@link PacingWheel} on a {@link ManualScheduler} moved on by one tick per operation.
 * The tick asks the listener for 480 samples (taken through a {@link PlayoutBuffer}, as the bridge's playout does),
 * down-samples them to 160, encodes G.711, writes the RTP header and sends the session's reused datagram; the
 * benchmark reads the datagram back from the channel and releases it, as the transport does once it is written.
 * {@code agentFormat} {@code pcmu} is {@code realtime.audio-format=pcmu}: the frame also comes as the agent's 160
 * μ-law octets, which go into the PCMU packet as they are (no down-sampling, no encoding).
 */
@State(Scope.Thread)
@Fork(jvmArgsPrepend = {EventLoopThreads.EXECUTOR, EventLoopThreads.EXECUTOR_CLASS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboundPathBenchmark {

    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 4000);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Playout playout = new Playout();
    /** What the agent speaks: {@code pcm24k} (24 kHz alone) or {@code pcmu} (its own octets too). */
    @Param({"pcm24k", "pcmu"})
    public String agentFormat;
    private EmbeddedChannel channel;
    private RtpSession session;
    private long ticks;

    @Setup
    public void setUp() {
        EventLoopThreads.require();
        playout.law = "pcmu".equals(agentFormat) ? G711.PCMU : null;
        channel = new EmbeddedChannel();
        session = RtpSession.attach(channel, RtpStreamSpec.sendRecv(G711.PCMU, -1, CALLER),
                new PacingWheel(scheduler), playout);
        session.start(scheduler.nanoTime());
        scheduler.runDue(); // tick 0
        ReferenceCountUtil.release(channel.readOutbound());
    }

    /** Prints the counters; fails the run unless every tick sent a packet and nothing faulted. */
    @TearDown
    public void tearDown() {
        session.close();
        channel.finishAndReleaseAll();
        System.out.printf("%n# stats: ticks %d, packets sent %d, ticks skipped %d%n", ticks + 1,
                session.packetsSent(), session.ticksSkipped());
        if (playout.fault != null || session.packetsSent() != ticks + 1 || session.ticksSkipped() != 0) {
            throw new IllegalStateException("the tick path did not send a packet per tick", playout.fault);
        }
    }

    /** One tick: 480 samples played, packetized and sent; returns the datagram's length (172 bytes). */
    @Benchmark
    public int tick() {
        scheduler.advanceNanos(CallTimeline.FRAME_NANOS);
        ticks++;
        DatagramPacket sent = channel.readOutbound();
        int length = sent.content().readableBytes();
        sent.release();
        return length;
    }

    /** Plays a fixed frame through a {@link PlayoutBuffer}; keeps a fault for the tear-down. */
    static final class Playout implements MediaListener {
        private final PlayoutBuffer buffer = new PlayoutBuffer(CallTimeline.SAMPLE_RATE);
        private final short[] frame = SpeechLevelTone.pcm(1000, CallTimeline.SAMPLE_RATE, CallTimeline.FRAME_SAMPLES);
        private final byte[] codes = SpeechLevelTone.g711(G711.PCMU, 1000, CallTimeline.FRAME_SAMPLES
                / CallTimeline.SAMPLES_PER_RTP_UNIT);
        Throwable fault;
        G711 law;

        @Override
        public G711 agentLaw() {
            return law;
        }

        @Override
        public boolean playoutCodes(byte[] out, int units) {
            System.arraycopy(codes, 0, out, 0, units);
            return true;
        }

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
            fault = error;
        }
    }
}
