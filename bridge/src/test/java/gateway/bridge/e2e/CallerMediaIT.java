package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;
import gateway.testkit.ImpairedNetwork;
import gateway.testkit.Signals;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller's media through a real gateway over UDP. First a caller behind a bad network: the test owns the caller's
 * socket and sends its speech through a seeded network that loses, repeats, reorders and delays packets (with the
 * sequence numbers and timestamps rolling over on the way); the recording holds the speech in order and without
 * clicks, call.json's quality block counts what the network did, and the gateway's RTCP on the next port reports on
 * the caller's stream. Then a caller that asks for 40 ms packets and rtcp-mux: the answer says so, the gateway's
 * packets carry 40 ms each, 40 ms apart, and RTCP goes both ways on the RTP port, giving call.json a round trip.
 */
@Tag("e2e")
class CallerMediaIT {

    private static final int IMPAIRED_RTP_MIN = 38_800;
    private static final int PTIME_RTP_MIN = 38_900;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long MS = 1_000_000L;
    private static final int PACKET = Speech.PACKET_BYTES;
    private static final byte ULAW_SILENCE = (byte) 0xFF;
    /** Half a second of silence, the short fixture (1.8 s of speech, then silence), and 12 s more silence. */
    private static final int LEAD_PACKETS = 25;
    private static final int PACKETS = LEAD_PACKETS + 250 + 600;
    private static final ImpairedNetwork.Impairment NETWORK =
            new ImpairedNetwork.Impairment(1503, 0.03, 2, 0.02, 0.05, 30 * MS);
    /** The sequence numbers wrap 100 packets in, the timestamps 25 packets in (4000 units). */
    private static final int FIRST_SEQUENCE = 65_436;
    private static final int FIRST_TIMESTAMP = (int) 0xFFFF_F060L;
    private static final int SSRC = 0x0CA1_1E55;

    @TempDir
    Path recordings;

    @Test
    void aCallerBehindABadNetworkIsRecordedInOrderWithoutClicksAndReportedOnByRtcp() throws Exception {
        List<byte[]> payloads = payloads();
        List<ImpairedNetwork.Delivery> network = ImpairedNetwork.schedule(NETWORK, PACKETS, 20 * MS, 0);
        Sipp.Result sipp;
        RecordedCall call;
        List<byte[]> rtcp;
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), IMPAIRED_RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.openWithRtcp()) {
            Sipp.Running running = Sipp.scenario("uac_test_media.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "impaired-caller");
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            caller.sendThrough(network, first.source(), 0, SSRC, FIRST_SEQUENCE, FIRST_TIMESTAMP, payloads);
            // The echo of what the caller said has started (so its speech went through), and RTCP has come.
            gw.awaitReplyPlaying(1, 200, STEP_WITHIN);
            caller.awaitRtcp(r -> r.stream().anyMatch(CallerMediaIT::reportsPastTheWrap), STEP_WITHIN,
                    "a gateway report on the RTCP port about the caller's stream after its sequence numbers wrapped");
            rtcp = caller.rtcp();
            running.cue("the reply is playing");
            sipp = running.await();
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            // Before the gateway closes: the call ends on the caller's BYE, however slow the box.
            call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
        }
        assertEquals("caller_bye", call.json().text("end_reason"));

        Set<Integer> arrived = new HashSet<>();
        network.forEach(d -> arrived.add(d.index()));
        int firstIndex = network.get(0).index();
        short[] reference = upsampled(payloads, firstIndex);
        short[] caller = call.caller();
        int speechFrom = (LEAD_PACKETS - firstIndex) * 480;
        int speechTo = speechFrom + (int) (Speech.SHORT_SPEECH_MS * 24);
        // Where the caller's stream begins in the recording: the reference's speech found there.
        Signals.Match match = Signals.bestMatch(caller, Arrays.copyOfRange(reference, speechFrom, speechTo), 0,
                caller.length - (speechTo - speechFrom));
        int anchor = match.lag() - speechFrom;
        assertTrue(match.score() > 0.9, "the speech is in the recording: " + match);

        JsonNode quality = call.json().root().path("quality");
        long expected = quality.path("packets_expected").asLong();
        long late = quality.path("packets_late").asLong();
        int mismatched = 0;
        int compared = 0;
        for (int i = LEAD_PACKETS + 2; i < LEAD_PACKETS + Speech.SHORT_SPEECH_MS / 20 - 2; i++) {
            if (arrived.contains(i - 1) && arrived.contains(i) && arrived.contains(i + 1)) {
                int at = (i - firstIndex) * 480;
                compared++;
                mismatched += inPlace(Arrays.copyOfRange(caller, anchor + at, anchor + at + 480),
                        Arrays.copyOfRange(reference, at, at + 480)) ? 0 : 1;
            }
        }
        assertTrue(compared > 50, compared + " packets compared");
        assertTrue(mismatched <= 3 * late, mismatched + " of " + compared + " packets out of place, " + late
                + " late: " + quality);
        int natural = Signals.maxStep(reference, speechFrom, speechTo);
        int recorded = Signals.maxStep(caller, anchor + speechFrom, anchor + speechTo);
        assertTrue(recorded <= natural * 5 / 4, "largest step " + recorded + " against the speech's " + natural);

        long lost = 0;
        long duplicated = 0;
        for (ImpairedNetwork.Delivery d : network) {
            duplicated += d.duplicate() && d.index() < firstIndex + expected ? 1 : 0;
        }
        for (int i = firstIndex; i < firstIndex + expected; i++) {
            lost += arrived.contains(i) ? 0 : 1;
        }
        assertEquals(lost, quality.path("packets_lost").asLong(), 2, quality.toString());
        assertEquals(duplicated, quality.path("packets_duplicated").asLong(), 2, quality.toString());
        assertTrue(quality.path("loss").size() > 0, quality.toString());
        assertTrue(quality.path("jitter_ms").asDouble() > 1, "30 ms of network jitter shows: " + quality);

        byte[] report = rtcp.stream().filter(CallerMediaIT::reportsPastTheWrap).reduce((a, b) -> b).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(report);
        int block = reportBlock(report);
        int cumulativeLost = b.getInt(block + 4) << 8 >> 8;
        int highestIndex = (int) ((b.getInt(block + 8) & 0xFFFF_FFFFL) - FIRST_SEQUENCE);
        // The report counts what had come by the time it was sent: a packet still held back behind a later one then
        // was missing, so it is checked against the deliveries as sent, not against the call's final count.
        assertTrue(aPrefixOfTheDeliveriesMatches(network, highestIndex, cumulativeLost),
                "reported lost " + cumulativeLost + " with packet " + highestIndex + " the highest; " + lost
                        + " never came in the call");
        int sdes = ((b.getShort(2) & 0xFFFF) + 1) * 4;
        assertEquals(202, report[sdes + 1] & 0xFF, "an SDES with the CNAME follows the report");
    }

    @Test
    @SuppressWarnings("try") // the caller's stream only has to run (silence, so the gateway reports on it) meanwhile
    void aCallerAskingFor40MillisecondPacketsAndRtcpMuxGetsThem() throws Exception {
        Sipp.Result sipp;
        RecordedCall call;
        List<RtpPeer.Packet> packets;
        try (GatewayUnderIT gw = GatewayUnderIT.start(PTIME_RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_test_media_ptime40_mux.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "ptime40-mux");
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            try (RtpPeer.Stream talk = caller.stream(first.source(), 0, ULAW_SILENCE)) {
                List<byte[]> rtcp = caller.awaitRtcp(r -> !r.isEmpty(), STEP_WITHIN, "the gateway's first report");
                byte[] sr = rtcp.get(0);
                assertEquals(200, sr[1] & 0xFF, "a sender report, on the RTP port");
                caller.sendRaw(receiverReport(sr), first.source());       // our RR about it, on the RTP port too
                packets = caller.awaitReceived(p -> p.size() >= 30, STEP_WITHIN, "30 packets");
                running.cue("enough packets");
                sipp = running.await();
                assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
                // Before the gateway closes: the call ends on the caller's BYE, however slow the box.
                call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            }
        }
        SdpBody answer = SdpBody.of(sipp.response(200, "INVITE"));
        assertTrue(answer.lines().contains("a=ptime:40"), answer.lines().toString());
        assertTrue(answer.lines().contains("a=rtcp-mux"), answer.lines().toString());
        assertTrue(answer.lines().contains("a=rtpmap:13 CN/8000"), answer.lines().toString());
        List<Long> gaps = new ArrayList<>();
        int skips = 0;
        for (int i = 1; i < packets.size(); i++) {
            RtpPeer.Packet p = packets.get(i);
            RtpPeer.Packet before = packets.get(i - 1);
            assertEquals(320, p.payload().length, "40 ms of G.711 in each packet");
            assertEquals((before.sequence() + 1) & 0xFFFF, p.sequence());
            // 40 ms on per packet; a loop stalled past the pacer's catch-up skips whole packets, the clock runs on;
            // a talkspurt's first packet (marker set) may come part of a packet early, the clock moving with it.
            long step = (p.timestamp() - before.timestamp()) & 0xFFFF_FFFFL;
            assertTrue(step > 0 && step <= 320 * 10 && (step % 320 == 0 || p.marker()),
                    "timestamp step " + step + " at " + i);
            skips += step > 320 ? 1 : 0;
            gaps.add(before.arrival().until(p.arrival(), ChronoUnit.MICROS));
        }
        assertTrue(skips <= 2, skips + " stalls skipped packets");
        List<Long> sorted = gaps.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        assertEquals(40_000, median, 5_000, "packets leave 40 ms apart: " + gaps);
        JsonNode quality = call.json().root().path("quality");
        assertNotNull(quality.get("rtt_ms"));
        assertTrue(quality.path("rtt_ms").isNumber() && quality.path("rtt_ms").asDouble() >= 0, quality.toString());
        assertEquals(1, quality.path("remote").path("reports").asLong(), quality.toString());
    }

    /**
     * Whether an RTCP datagram is an SR or RR (RFC 3550 §6.4) with a report block about the test's stream whose
     * extended highest sequence number counts the wrap of the 16-bit one (a cycle count of 1 or more).
     */
    private static boolean reportsPastTheWrap(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        int type = b.get(1) & 0xFF;
        int count = b.get(0) & 0x1F;
        int block = reportBlock(datagram);
        return (type == 200 || type == 201) && count > 0 && datagram.length >= block + 24 && b.getInt(block) == SSRC
                && (b.getInt(block + 8) & 0xFFFF_FFFFL) >= 65_536;
    }

    /**
     * Whether some packets of {@code network}, the first ones as they were sent (the schedule's order, which one
     * sender thread and loopback keep), have packet {@code highestIndex} as their highest and {@code lost} of the
     * packets from the first one sent to it missing (RFC 3550 A.3: expected less received, copies not counted).
     */
    private static boolean aPrefixOfTheDeliveriesMatches(List<ImpairedNetwork.Delivery> network, int highestIndex,
                                                         int lost) {
        int base = network.get(0).index();
        Set<Integer> received = new HashSet<>();
        int highest = base;
        for (ImpairedNetwork.Delivery d : network) {
            received.add(d.index());
            highest = Math.max(highest, d.index());
            if (highest > highestIndex) {
                return false;
            }
            if (highest == highestIndex && highestIndex - base + 1 - received.size() == lost) {
                return true;
            }
        }
        return false;
    }

    /** Where the first report block starts: after an SR's sender info (28 bytes in), or an RR's header (8). */
    private static int reportBlock(byte[] datagram) {
        return (datagram[1] & 0xFF) == 200 ? 28 : 8;
    }

    /** An RR (RFC 3550 §6.4.2) about the gateway's stream answering {@code sr}: LSR its NTP middle, DLSR 0. */
    private static byte[] receiverReport(byte[] sr) {
        ByteBuffer in = ByteBuffer.wrap(sr);
        ByteBuffer rr = ByteBuffer.allocate(32);
        rr.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(SSRC);   // V=2 RC=1, RR, 8 words, us
        rr.putInt(in.getInt(4));                                                 // SSRC_1: the gateway's stream
        rr.putInt(0).putInt(0).putInt(0);                                        // no loss; highest, jitter 0
        rr.putInt(in.getInt(10));                                                // LSR: the SR's NTP middle
        rr.putInt(0);                                                            // DLSR: answered at once
        return rr.array();
    }

    /** The caller's packets: lead-in silence, the short speech fixture, silence. */
    private static List<byte[]> payloads() throws Exception {
        byte[] speech = Speech.bytes("speech_short.ulaw");
        List<byte[]> payloads = new ArrayList<>(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = new byte[PACKET];
            Arrays.fill(p, ULAW_SILENCE);
            int from = (i - LEAD_PACKETS) * PACKET;
            if (from >= 0 && from < speech.length) {
                System.arraycopy(speech, from, p, 0, Math.min(PACKET, speech.length - from));
            }
            payloads.add(p);
        }
        return payloads;
    }

    /** What the gateway makes of the payloads from {@code from} on, decoded and up-sampled in one go. */
    private static short[] upsampled(List<byte[]> payloads, int from) {
        short[] pcm8k = new short[(payloads.size() - from) * PACKET];
        for (int i = from; i < payloads.size(); i++) {
            for (int j = 0; j < PACKET; j++) {
                pcm8k[(i - from) * PACKET + j] = G711.PCMU.decode(payloads.get(i)[j]);
            }
        }
        short[] out = new short[pcm8k.length * 3];
        new Upsampler8kTo24k().process(pcm8k, 0, pcm8k.length, out, 0);
        return out;
    }

    /**
     * Whether a recorded packet is the one sent: the same waveform (correlation 0.99), or, where the caller sent
     * digital silence, silence.
     */
    private static boolean inPlace(short[] recorded, short[] sent) {
        if (Signals.rms(sent, 0, sent.length) < 1) {
            return Signals.rms(recorded, 0, recorded.length) < 1;
        }
        return Signals.correlationAt(recorded, sent, 0) >= 0.99;
    }

}
