package gateway.rtp;

import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RTCP's cost per report (RFC 3550 §6): one compound report of ours built (SR + SDES, and SRTCP-protected when the
 * stream is SRTP, RFC 3711 §3.4) and one received, checked and read through the receive handler. A call sends one about
 * every 5 s (2.5 to 7.5 s, randomised) and reads the caller's, so its cost per second is {@code reportBothWays} / 5.
 * The report read is our own, sent back (its SSRC and blocks are as real as any caller's); with SRTCP both directions
 * use one master key so it unprotects. In package {@code gateway.rtp}: the session and handler are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcpBenchmark {

    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 4001);

    /** Plain RTCP, or SRTCP with the 80-bit tag. */
    @Param({"plain", "srtcp"})
    public String stream;

    private final ManualScheduler clock = new ManualScheduler(0);
    private final RtpStats stats = new RtpStats();
    private final ByteBuf buffer = Unpooled.directBuffer(DatagramTransmitter.BUFFER_CAPACITY);
    private RtcpSession rtcp;
    private RtcpReceiveHandler handler;
    private long now;
    private long sent;

    @Setup
    public void setUp() {
        MediaListener nobody = new MediaListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                return false;
            }

            @Override
            public void onMediaFault(Throwable error) {
                throw new IllegalStateException(error);
            }
        };
        InboundAudioPath inbound = new InboundAudioPath(nobody, stats);
        inbound.start(0);
        ByteBuf audio = Unpooled.buffer(RtpPacket.FIXED_HEADER_LENGTH + 160);
        RtpPacket.writeHeader(audio, false, 0, 1, 160, 0x0CA1_1E55L);
        audio.writeZero(160);
        inbound.onAudio(audio, 0, audio.readableBytes(), G711.PCMU, 0); // a caller's stream to report on
        PacketSink sink = new PacketSink() {
            @Override
            public boolean hasRemote() {
                return true;
            }

            @Override
            public ByteBuf acquire() {
                return buffer.clear();
            }

            @Override
            public void send(ByteBuf packet) {
                sent++;
            }
        };
        rtcp = new RtcpSession(stats, inbound.statistics(), new RtpPacketizer(G711.PCMU, 0, 0x5EED_0001L, 0, 0), sink,
                InstantSource.fixed(Instant.parse("2026-12-06T00:00:00Z")), 3);
        handler = new RtcpReceiveHandler(rtcp, new RemoteEndpoint(CALLER), stats,
                new RtpProblems("bench", stats, nobody, clock, System.getLogger("bench")), clock);
        if (stream.equals("srtcp")) {
            byte[] keyAndSalt = new byte[SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES];
            for (int i = 0; i < keyAndSalt.length; i++) {
                keyAndSalt[i] = (byte) (i * 37 + 11);
            }
            SrtpMasterKey key = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80, keyAndSalt);
            rtcp.secure(new SrtpKeys(key, key));
        }
        rtcp.start(0);
    }

    /** One report out (a report falls due at every call) and the same bytes read back in. */
    @Benchmark
    public long reportBothWays() {
        stats.packetsSent++;                                  // an SR, with its sender info
        now += RtcpSession.INTERVAL_NANOS * 2;
        rtcp.onTick(now);
        handler.receive(buffer, 0, buffer.readableBytes(), CALLER, now);
        return stats.rtcpReceived;
    }

    /** Fails the run unless every operation sent a report and read one back without an SRTCP failure. */
    @TearDown
    public void tearDown() {
        long failures = rtcp.srtcpAuthFailures + rtcp.srtcpReplays + rtcp.srtcpInvalid;
        System.out.printf("%n# sent %d, received %d, srtcp failures %d%n", sent, stats.rtcpReceived, failures);
        buffer.release();
        if (sent == 0 || sent != stats.rtcpReceived || failures != 0) {
            throw new IllegalStateException("RTCP did not run as intended");
        }
    }
}
