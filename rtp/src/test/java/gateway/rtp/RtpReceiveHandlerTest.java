package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.filled;
import static gateway.rtp.TestPackets.rtp;
import static gateway.rtp.TestPackets.ulawTone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.LogCapture;
import gateway.testkit.Signals;
import gateway.time.ManualScheduler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtpReceiveHandlerTest {

    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress NAT = new InetSocketAddress("198.51.100.7", 31000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long SSRC = 0x11223344L;
    private static final int TE_PT = 101;

    private final ManualScheduler clock = new ManualScheduler();
    private final RtpStats stats = new RtpStats();
    private final RemoteEndpoint remote = new RemoteEndpoint(SDP);
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private final InboundAudioPath inbound = new InboundAudioPath(listener, stats);
    private final LogCapture log = LogCapture.detached();
    private EmbeddedChannel channel;
    private long answer;

    @BeforeEach
    void setUp() {
        RtpProblems problems = new RtpProblems("RTP test", stats, listener, clock, log.logger());
        channel = new EmbeddedChannel(new RtpReceiveHandler(RtpStreamSpec.sendRecv(G711.PCMU, TE_PT, SDP), inbound,
                TestPackets.rtcpHandler(stats, inbound, problems, clock), remote, new ConnectedSource(true), stats,
                problems, new PacingWheel(clock)));
        answer = clock.nanoTime();
    }

    @AfterEach
    void tearDown() {
        assertFalse(channel.finish());
    }

    private void receive(byte[] packet) {
        channel.writeInbound(datagram(packet, NAT, LOCAL));
    }

    @Test
    void placesPacketsByArrivalThenTimestampAndDecodesThem() {
        inbound.start(answer);
        clock.advanceMillis(100);
        byte[] first = ulawTone(1000, 8000, 0, 160);
        receive(rtp(0, 1000, 5000, SSRC, first));
        clock.advanceMillis(37); // jitter: arrival time does not matter after the first packet
        receive(rtp(0, 1001, 5160, SSRC, ulawTone(1000, 8000, 160, 160)));

        assertEquals(2, listener.audio.size());
        assertEquals(2400, listener.audio.get(0).position()); // 100 ms × 24 kHz
        assertEquals(2400 + 480, listener.audio.get(1).position());
        short[] decoded = new short[160];
        for (int i = 0; i < 160; i++) {
            decoded[i] = G711.PCMU.decode(first[i]);
        }
        short[] expected = new short[480];
        new Upsampler8kTo24k().process(decoded, 0, 160, expected, 0);
        assertArrayEquals(expected, listener.audio.get(0).samples());
        assertEquals(2, stats.packetsReceived);
    }

    @Test
    void concealsLostPacketsInPlaceAndDropsLateAndDuplicateOnes() {
        inbound.start(answer);
        receive(rtp(0, 7, 800, SSRC, ulawTone(500, 8000, 0, 160)));
        clock.advanceMillis(20);
        receive(rtp(0, 8, 960, SSRC, ulawTone(500, 8000, 160, 160)));
        clock.advanceMillis(60);
        receive(rtp(0, 11, 1440, SSRC, ulawTone(500, 8000, 640, 160))); // 9 and 10 lost: their wait is over
        receive(rtp(0, 9, 1120, SSRC, filled(160, 0xFF)));              // 9 arrives late
        receive(rtp(0, 11, 1440, SSRC, filled(160, 0xFF)));             // duplicate

        long[] positions = listener.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 960, 1920}, positions);
        short[] concealed = listener.audio.get(2).samples();
        assertEquals(960, concealed.length);                             // both lost packets, in one piece
        // The 500 Hz tone goes on, in phase, for the first 10 ms, then fades by 20 % per 10 ms (G.711 Appendix I):
        // from 30 to 40 ms it is at 60 to 40 %.
        assertEquals(8000, Signals.fit(concealed, 0, 240, 500, 24_000)[0], 400);
        double faded = Signals.rms(concealed, 720, 960) / Signals.rms(concealed, 0, 240);
        assertTrue(faded > 0.4 && faded < 0.6, "faded to " + faded);
        assertEquals(1, stats.packetsLost);                              // RFC 3550: 5 expected, 4 received
        assertEquals(1, stats.packetsDroppedLate);
        assertEquals(1, stats.packetsDuplicated);
        assertEquals(320, stats.concealedUnits);
    }

    @Test
    void sequenceAndTimestampWrapAround() {
        inbound.start(answer);
        receive(rtp(0, 65535, 0xFFFF_FF60L, SSRC, filled(160, 0xFF)));
        clock.advanceMillis(20);
        receive(rtp(0, 0, 0, SSRC, filled(160, 0xFF)));
        clock.advanceMillis(20);
        receive(rtp(0, 1, 160, SSRC, filled(160, 0xFF)));
        long[] positions = listener.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 960}, positions);
        assertEquals(0, stats.packetsLost);
        assertEquals(0, stats.packetsDroppedLate);
        assertEquals(0, stats.streamRestarts);
    }

    @Test
    void aPauseLongerThanASecondIsAJumpInPositionAfterAtMostTheConcealmentsFade() {
        inbound.start(answer);
        receive(rtp(0, 1, 0, SSRC, filled(160, 0xFF)));
        clock.advanceMillis(2020);
        receive(rtp(0, 102, 101 * 160, SSRC, filled(160, 0xFF))); // 100 lost = 2 s: 60 ms of fade, then a jump
        clock.advanceMillis(2020);
        receive(rtp(0, 103, 202 * 160, SSRC, filled(160, 0xFF))); // the sender paused 2 s: a jump at once
        long[] positions = listener.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 101 * 480, 202 * 480}, positions);
        assertEquals(LossConcealment.SILENT_AFTER * 3, listener.audio.get(1).samples().length);
        assertEquals(100, stats.packetsLost);
        assertEquals(0, stats.streamRestarts);
    }

    @Test
    void aTimestampJumpStartsThePlacementAfreshWhereTheAudioEnds() {
        inbound.start(answer);
        receive(rtp(0, 1, 0, SSRC, filled(160, 0xFF)));
        clock.advanceMillis(20);
        receive(rtp(0, 2, 80_000, SSRC, filled(160, 0xFF)));      // 10 s ahead after 20 ms: a jump, not a pause
        clock.advanceMillis(20);
        receive(rtp(0, 3, 1_000, SSRC, filled(160, 0xFF)));       // and back: it must not overwrite the past
        clock.advanceMillis(20);
        receive(rtp(0, 4, 1_160, SSRC, filled(160, 0xFF)));
        long[] positions = listener.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 960, 1440}, positions);
        assertEquals(2, stats.streamRestarts);
        assertEquals(0, stats.packetsLost);
    }

    @Test
    void ignoresTelephoneEventsAndOtherPayloadTypesAndDropsPacketsBeforeStart() {
        receive(rtp(0, 1, 0, SSRC, filled(160, 0xFF)));      // before start
        inbound.start(answer);
        receive(rtp(TE_PT, 2, 160, SSRC, new byte[] {5, 10, 0, (byte) 160}));
        receive(rtp(8, 3, 160, SSRC, filled(160, 0xD5)));    // PCMA while PCMU was negotiated
        receive(rtp(96, 4, 160, SSRC, filled(160, 0xD5)));   // a dynamic type nobody offered
        assertEquals(0, listener.audio.size());
        assertEquals(1, stats.packetsBeforeStart);
        assertEquals(3, stats.packetsIgnored);
        assertEquals(4, stats.packetsReceived);
        // Telephone-event is recognised, so only the first unexpected type is worth a line (the next is held back).
        assertEquals(
                List.of("RTP test: RTP payload type 8 from /198.51.100.7:31000 was not negotiated; packet ignored"),
                log.messages(System.Logger.Level.WARNING));
    }

    @Test
    void countsMalformedDatagramsAndLatchesOnValidPacketsInSequence() {
        inbound.start(answer);
        receive(new byte[] {(byte) 0x80, 0, 0, 1, 0});                        // too short
        byte[] v1 = rtp(0, 1, 0, SSRC, filled(10, 0xFF));
        v1[0] = 0x40;                                                         // version 1
        receive(v1);
        assertEquals(2, stats.malformed);
        assertEquals(List.of("RTP test: malformed RTP datagram from /198.51.100.7:31000 (TOO_SHORT)"),
                log.messages(System.Logger.Level.WARNING));
        assertEquals(SDP, remote.current());
        assertFalse(remote.latched());

        receive(rtp(0, 1, 0, SSRC, filled(160, 0xFF)));
        assertEquals(SDP, remote.current(), "another host than the SDP's: one packet is not enough");
        receive(rtp(0, 2, 160, SSRC, filled(160, 0xFF)));
        assertEquals(NAT, remote.current());
        assertTrue(remote.latched());
        InetSocketAddress other = new InetSocketAddress("203.0.113.9", 5000);
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(rtp(0, 3, 320, SSRC, filled(160, 0xFF))),
                LOCAL, other));
        assertEquals(NAT, remote.current()); // no re-latching
        assertEquals(3, listener.audio.size());
    }

    @Test
    void aNewSsrcStartsAfterWhatWasDeliveredAndTheSpaceBetweenIsConcealed() {
        inbound.start(answer);
        receive(rtp(0, 500, 90_000, SSRC, filled(160, 0xFF)));
        receive(rtp(0, 9, 7, 0x55555555L, filled(160, 0xFF)));        // new stream, same arrival time: right after
        clock.advanceMillis(1000);
        receive(rtp(0, 4000, 123, 0x66666666L, filled(160, 0xFF)));  // later new stream: at its arrival
        List<TestPackets.Audio> audio = listener.audio;
        assertEquals(0, audio.get(0).position());
        assertEquals(480, audio.get(1).position());
        assertEquals(24_000, audio.get(audio.size() - 1).position());
        long end = 960;
        for (TestPackets.Audio piece : audio.subList(2, audio.size() - 1)) {
            assertEquals(end, piece.position(), "the stretch between the streams is delivered, without a hole");
            end += piece.samples().length;
        }
        assertEquals(24_000, end);
        assertEquals(0, stats.packetsDroppedLate);
        assertEquals(2, stats.streamRestarts);
    }
}
