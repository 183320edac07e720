package gateway.rtp;

import static gateway.rtp.TestPackets.datagram;
import static gateway.rtp.TestPackets.decodedAndUpsampled;
import static gateway.rtp.TestPackets.decodedPayload;
import static gateway.rtp.TestPackets.filled;
import static gateway.rtp.TestPackets.rtp;
import static gateway.rtp.TestPackets.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.rtp.RtpSenderPacingTest.Player;
import gateway.rtp.RtpSenderPacingTest.Wire;
import gateway.testkit.Signals;
import gateway.time.ManualScheduler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session sends and accepts exactly what was negotiated, and follows {@link RtpSession#update}: payload type and
 * codec (dynamic ones included), remote address and latching, hold, receive off, no remote address. Driven through
 * an EmbeddedChannel on a ManualScheduler; assertions on the bytes sent and the samples delivered.
 */
class NegotiatedMediaTest {

    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    /** The caller seen through a NAT that changed its port: the SDP host, so its first packet latches. */
    private static final InetSocketAddress NAT = new InetSocketAddress("192.0.2.10", 31000);
    private static final InetSocketAddress MOVED_SDP = new InetSocketAddress("192.0.2.20", 6000);
    private static final InetSocketAddress MOVED_NAT = new InetSocketAddress("192.0.2.20", 42000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final long TICK = Pacer.TICK_NANOS;
    private static final long SSRC = 0x5EED_0001L;
    private static final long CALLER_SSRC = 0x0CA1_1E55L;
    /** A-law and μ-law code words of a zero sample: what silence looks like on the wire. */
    private static final int ALAW_SILENCE = 0xD5;
    private static final int ULAW_SILENCE = 0xFF;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PacingWheel wheel = new PacingWheel(scheduler);
    private final Wire wire = new Wire();
    private final EmbeddedChannel ch = new EmbeddedChannel(wire);
    private RtpSession session;

    @AfterEach
    void tearDown() {
        session.close();
        assertTrue(wire.sent.isEmpty(), "every packet sent was checked");
        assertFalse(ch.finish());
    }

    private void receive(byte[] packet, InetSocketAddress from) {
        ch.writeInbound(datagram(packet, from, LOCAL));
    }

    private static void assertHeader(byte[] packet, boolean marker, int pt, int seq, long ts) {
        assertEquals(12 + 160, packet.length);
        assertEquals((byte) 0x80, packet[0]);
        assertEquals((byte) ((marker ? 0x80 : 0) | pt), packet[1], "marker and payload type");
        assertEquals(seq, ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF), "sequence");
        assertEquals(ts, RtpPacket.timestamp(io.netty.buffer.Unpooled.wrappedBuffer(packet), 0), "timestamp");
        assertEquals(SSRC, RtpPacket.ssrc(io.netty.buffer.Unpooled.wrappedBuffer(packet), 0), "ssrc");
    }

    private static byte[] payload(byte[] packet) {
        return Arrays.copyOfRange(packet, 12, packet.length);
    }

    /** The Player's 1 kHz tone, amplitude 8000, after the down-sampler and G.711: nearly all of it, and clean. */
    private static void assertTone(short[] pcm8k, int from) {
        assertEquals(8000, Signals.fit(pcm8k, from, pcm8k.length, 1000, 8000)[0], 250);
        assertTrue(Signals.residualRms(pcm8k, from, pcm8k.length, 1000, 8000) < 250);
    }

    private static short[] concat(short[] a, short[] b) {
        short[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void pcmaOnDynamicPayloadType98IsDecodedInAndSentOut() {
        RtpStreamSpec spec = new RtpStreamSpec(G711.PCMA, 98, 101, true, true, SDP);
        Player player = new Player(scheduler, tick -> tick >= 1);
        session = RtpSession.attach(ch, spec, wheel, player, SSRC, 100, 8000);
        session.start(scheduler.nanoTime());
        scheduler.runDue();               // tick 0: silence
        scheduler.advanceNanos(TICK);     // tick 1: the tone starts

        byte[] silence = wire.take(SDP);
        assertHeader(silence, true, 98, 100, 8000);
        assertArrayEquals(filled(160, ALAW_SILENCE), payload(silence));
        byte[] speech = wire.take(SDP);
        assertHeader(speech, true, 98, 101, 8160); // a talkspurt starts
        assertTone(decodedPayload(G711.PCMA, speech), 40); // after the filter's ramp from silence

        byte[] first = tone(G711.PCMA, 1000, 8000, 0, 160);
        byte[] second = tone(G711.PCMA, 1000, 8000, 160, 160);
        receive(rtp(98, 1, 0, CALLER_SSRC, first), NAT);
        receive(rtp(8, 2, 160, CALLER_SSRC, second), NAT);                     // PCMA's static type: not ours
        receive(rtp(0, 3, 160, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);  // PCMU: not ours
        receive(rtp(101, 4, 160, CALLER_SSRC, new byte[] {5, 10, 0, (byte) 160}), NAT); // a DTMF event
        receive(rtp(98, 5, 160, CALLER_SSRC, second), NAT);

        assertEquals(2, player.audio.size());
        assertEquals(480, player.audio.get(0).position());             // arrived 20 ms after the answer
        assertArrayEquals(decodedAndUpsampled(G711.PCMA, first), player.audio.get(0).samples());
        assertEquals(960, player.audio.get(1).position());
        short[] both = new short[960];
        System.arraycopy(player.audio.get(0).samples(), 0, both, 0, 480);
        System.arraycopy(player.audio.get(1).samples(), 0, both, 480, 480);
        assertEquals(8000, Signals.fit(both, 120, 960, 1000, 24_000)[0], 250); // one continuous A-law tone
        assertEquals(5, session.packetsReceived());
        assertEquals(3, session.packetsIgnored());
        assertEquals(List.of(), player.faults);
    }

    @Test
    void aNewCodecAndPayloadTypeApplyFromTheNextPacketInAndOut() {
        Player player = new Player(scheduler, tick -> true);
        session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, 101, SDP), wheel, player, SSRC, 100, 8000);
        session.start(scheduler.nanoTime());
        scheduler.runDue();                                           // tick 0, to the SDP address
        byte[] ulaw = TestPackets.ulawTone(1000, 8000, 0, 160);
        receive(rtp(0, 1, 0, CALLER_SSRC, ulaw), NAT);                // latches
        scheduler.advanceNanos(TICK);                                 // tick 1, to the caller's NAT

        RtpStreamSpec pcma98 = new RtpStreamSpec(G711.PCMA, 98, 101, true, true, SDP);
        session.update(pcma98);                                       // same address: the latch stays
        assertEquals(pcma98, session.spec());
        assertEquals(G711.PCMA, session.codec());
        assertEquals(NAT, session.remote());
        scheduler.advanceNanos(TICK);                                 // tick 2

        assertHeader(wire.take(SDP), true, 0, 100, 8000);
        byte[] beforeSwitch = wire.take(NAT);
        assertHeader(beforeSwitch, false, 0, 101, 8160);
        byte[] afterSwitch = wire.take(NAT);
        assertHeader(afterSwitch, false, 98, 102, 8320);              // SSRC, sequence and timestamp go on
        // μ-law then A-law: one continuous tone, as each packet is decoded with its own codec.
        assertTone(concat(decodedPayload(G711.PCMU, beforeSwitch), decodedPayload(G711.PCMA, afterSwitch)), 40);

        receive(rtp(0, 2, 160, CALLER_SSRC, ulaw), NAT);              // the old format: ignored now
        byte[] alaw = tone(G711.PCMA, 1000, 8000, 320, 160);
        receive(rtp(98, 3, 320, CALLER_SSRC, alaw), NAT);
        long[] positions = player.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 960}, positions);       // the ignored packet's place is concealed
        short[] expected = new short[480];
        short[] pcm8k = decodedPayload(G711.PCMU, rtp(0, 1, 0, CALLER_SSRC, ulaw));
        new Upsampler8kTo24k().process(pcm8k, 0, 160, expected, 0);
        assertArrayEquals(expected, player.audio.get(0).samples());
        // The tone goes on, in phase, through the first 10 ms of the concealed packet (then it fades, G.711 App. I).
        short[] concealed = player.audio.get(1).samples();
        assertEquals(8000, Signals.fit(concealed, 0, 240, 1000, 24_000)[0], 400);
        assertTrue(Signals.residualRms(concealed, 0, 240, 1000, 24_000) < 250);
        assertEquals(1, session.packetsIgnored());
    }

    @Test
    void aNewRemoteAddressRetargetsSendingAndTheNextPacketFromElsewhereLatchesAgain() {
        Player player = new Player(scheduler, tick -> false);
        session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP), wheel, player, SSRC, 0, 0);
        session.start(scheduler.nanoTime());
        scheduler.runDue();
        assertHeader(wire.take(SDP), true, 0, 0, 0);
        receive(rtp(0, 1, 0, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(NAT), false, 0, 1, 160);

        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, MOVED_SDP)); // the media moved
        assertEquals(MOVED_SDP, session.remote());
        assertFalse(session.latched());
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(MOVED_SDP), false, 0, 2, 320);

        receive(rtp(0, 2, 160, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT); // the old stream, still in flight
        assertFalse(session.latched());
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(MOVED_SDP), false, 0, 3, 480);

        receive(rtp(0, 77, 5000, 0x5555L, filled(160, ULAW_SILENCE)), MOVED_NAT); // the new stream
        assertTrue(session.latched());
        assertEquals(MOVED_NAT, session.remote());
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(MOVED_NAT), false, 0, 4, 640);
        // Audio is accepted from both streams; the 20 ms between the old one's end and the new one's arrival are
        // concealed, so the caller's timeline has no unaccounted stretch.
        long[] positions = player.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
        assertArrayEquals(new long[] {0, 480, 960, 1440}, positions);
    }

    @Test
    void onHoldTheTimelineRunsOnWithoutPacketsAndResumingStartsATalkspurt() {
        Player player = new Player(scheduler, tick -> true);
        session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP), wheel, player, SSRC, 10, 1000);
        long answer = scheduler.nanoTime();
        session.start(answer);
        scheduler.runDue();
        scheduler.advanceNanos(2 * TICK);                              // ticks 0..2 sent
        session.update(new RtpStreamSpec(G711.PCMU, 0, -1, false, true, SDP)); // hold
        scheduler.advanceNanos(5 * TICK);                              // ticks 3..7: asked, not sent
        assertEquals(3, wire.sent.size());
        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP));    // resume
        scheduler.advanceNanos(2 * TICK);                              // ticks 8 and 9 sent

        for (int k = 0; k < 10; k++) {
            assertArrayEquals(new long[] {answer + k * TICK, k * 480L}, player.asked.get(k), "tick " + k);
        }
        assertEquals(10, player.asked.size());
        assertHeader(wire.take(SDP), true, 0, 10, 1000);
        assertHeader(wire.take(SDP), false, 0, 11, 1160);
        assertHeader(wire.take(SDP), false, 0, 12, 1320);
        byte[] resumed = wire.take(SDP);
        assertHeader(resumed, true, 0, 13, 1000 + 8 * 160);            // marker, sequence on, clock ran on
        assertHeader(wire.take(SDP), false, 0, 14, 1000 + 9 * 160);
        short[] pcm = decodedPayload(G711.PCMU, resumed);
        assertTrue(Math.abs(pcm[0]) < 64, "starts from fresh filter history, not the audio before the hold");
        assertTone(pcm, 40);
        assertEquals(5, session.packetsSent());
        assertEquals(0, session.sendsNoRemote());
    }

    @Test
    void whileNotReceivingPacketsAreCountedAndDropped() {
        Player player = new Player(scheduler, tick -> false);
        session = RtpSession.attach(ch, RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP), wheel, player, SSRC, 0, 0);
        session.start(scheduler.nanoTime());
        scheduler.runDue();
        session.update(new RtpStreamSpec(G711.PCMU, 0, -1, true, false, SDP)); // sendonly
        for (int seq = 1; seq <= 3; seq++) {
            receive(rtp(0, seq, 160L * seq, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        }
        assertEquals(List.of(), player.audio);
        assertEquals(3, session.packetsNotReceiving());
        assertEquals(3, session.packetsReceived());
        assertEquals(NAT, session.remote());                           // still a valid source to latch to
        scheduler.advanceNanos(TICK);                                   // sending goes on

        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP));
        receive(rtp(0, 4, 640, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        assertEquals(1, player.audio.size());
        assertEquals(3, session.packetsNotReceiving());
        assertHeader(wire.take(SDP), true, 0, 0, 0);
        assertHeader(wire.take(NAT), false, 0, 1, 160);
    }

    @Test
    void withoutARemoteAddressNothingIsSentUntilAPacketLatchesOne() {
        Player player = new Player(scheduler, tick -> false);
        session = RtpSession.attach(ch, new RtpStreamSpec(G711.PCMU, 0, -1, true, true, null), wheel, player,
                SSRC, 500, 7000);
        session.start(scheduler.nanoTime());
        scheduler.runDue();
        scheduler.advanceNanos(2 * TICK);
        assertTrue(wire.sent.isEmpty());
        assertEquals(3, session.sendsNoRemote());
        assertEquals(3, player.asked.size());
        assertNull(session.remote());

        receive(rtp(0, 1, 0, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        assertNull(session.remote(), "no SDP host: one packet is not enough (RFC 3550 A.1)");
        receive(rtp(0, 2, 160, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(NAT), true, 0, 500, 7000 + 3 * 160);     // the stream's first packet
        assertEquals(3, session.sendsNoRemote());
    }

    @Test
    void anUpdateGivesTheAddressAndConnectionAddressZeroStopsSendingAgain() {
        Player player = new Player(scheduler, tick -> false);
        RtpStreamSpec noAddress = new RtpStreamSpec(G711.PCMU, 0, -1, true, true, null);
        session = RtpSession.attach(ch, noAddress, wheel, player, SSRC, 500, 7000);
        session.start(scheduler.nanoTime());
        scheduler.runDue();                                             // tick 0: nowhere to go
        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP));     // the late answer
        scheduler.advanceNanos(TICK);                                   // tick 1
        assertHeader(wire.take(SDP), true, 0, 500, 7160);
        receive(rtp(0, 1, 0, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);

        session.update(noAddress);                                      // c=0.0.0.0: old-style hold
        scheduler.advanceNanos(TICK);                                   // tick 2
        receive(rtp(0, 2, 160, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT); // the source it replaced
        scheduler.advanceNanos(TICK);                                   // tick 3
        assertTrue(wire.sent.isEmpty());
        assertEquals(3, session.sendsNoRemote());

        session.update(RtpStreamSpec.sendRecv(G711.PCMU, -1, SDP));     // resumed
        scheduler.advanceNanos(TICK);                                   // tick 4
        assertHeader(wire.take(SDP), true, 0, 501, 7000 + 4 * 160);
        receive(rtp(0, 3, 320, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT);
        assertFalse(session.latched(), "within a second of the update that replaced it");

        int quarantineTicks = (int) (RemoteEndpoint.REPLACED_SOURCE_QUARANTINE_NANOS / TICK);
        scheduler.advanceNanos(quarantineTicks * TICK);                 // ticks 5..54
        for (int k = 5; k < 5 + quarantineTicks; k++) {
            assertHeader(wire.take(SDP), false, 0, 497 + k, 7000 + k * 160L);
        }
        receive(rtp(0, 4, 480, CALLER_SSRC, filled(160, ULAW_SILENCE)), NAT); // latches again
        assertTrue(session.latched());
        scheduler.advanceNanos(TICK);
        assertHeader(wire.take(NAT), false, 0, 497 + 55, 7000 + 55 * 160L);
    }
}
