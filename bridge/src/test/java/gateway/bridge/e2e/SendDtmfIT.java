package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model presses keys on a real call: SIPp places the call (offering telephone-event) with the test's socket as
 * its media; after the caller's first turn the demo agent calls send_dtmf with "1#9" held 120 ms each. What reached
 * the caller's socket is checked packet by packet as RFC 4733 events (marker, one timestamp per key, the duration
 * growing to 960 RTP units, the end packet three times), in the order asked and before the agent's reply; call.json
 * lists the keys as {@code outbound} and the tool call.
 */
@Tag("e2e")
class SendDtmfIT {

    private static final int RTP_MIN = 39_500;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final int EVENT_PT = 101;
    private static final int PCMU_PT = 0;
    private static final byte ULAW_ZERO = (byte) 0xFF;
    /** 120 ms at 8 kHz: 6 packets of 160 units. */
    private static final int KEY_UNITS = 960;
    /** RFC 4733 §3.2: event 11 is #. */
    private static final List<Integer> KEYS = List.of(1, 11, 9);

    @TempDir
    Path recordings;

    @Test
    void theModelsKeysReachTheCallerAsRfc4733EventsAndCallJson() throws Exception {
        DemoScript script = GatewayUnderIT.wholeReplies()
                .withToolCall(1, "send_dtmf", "{\"digits\":\"1#9\",\"duration_ms\":120}");
        Sipp.Result sipp;
        RecordedCall call;
        List<RtpPeer.Packet> wire;
        DemoConnection session;
        try (GatewayUnderIT gw = GatewayUnderIT.start(script, RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.open()) {
            Sipp.Running running = Sipp.scenario("uac_test_media.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "send-dtmf");
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            InetSocketAddress gateway = first.source();
            try (RtpPeer.Stream talk = caller.stream(gateway, PCMU_PT, ULAW_ZERO)) {
                talk.say(Speech.bytes("speech_short.ulaw")).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                caller.awaitReceived(p -> ends(p) >= KEYS.size() * 3, STEP_WITHIN, "three keys' end packets");
                LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
                running.cue("the keys were sent and the reply played");
                sipp = running.await();
                assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
                // Before the gateway closes: the call ends on the caller's BYE, however slow the box.
                call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
            }
            wire = caller.received();
            session = gw.agent().connection(1);
        }
        assertTrue(session.toolCalls().stream().anyMatch(c -> c.name().equals("send_dtmf")
                && c.output().equals("{\"sending\":\"1#9\",\"duration_ms\":120}")), session.toolCalls().toString());

        List<RtpPeer.Packet> events = wire.stream().filter(p -> p.payloadType() == EVENT_PT).toList();
        List<List<RtpPeer.Packet>> byKey = new ArrayList<>();
        for (RtpPeer.Packet p : events) {
            if (p.marker()) {
                byKey.add(new ArrayList<>());
            }
            byKey.getLast().add(p);
        }
        assertEquals(KEYS.size(), byKey.size(), "one event per key, each starting with the marker: " + events);
        for (int k = 0; k < KEYS.size(); k++) {
            List<RtpPeer.Packet> packets = byKey.get(k);
            assertEquals(8, packets.size(), "6 packets of 20 ms, then the end packet twice more: key " + k);
            for (int i = 0; i < packets.size(); i++) {
                byte[] payload = packets.get(i).payload();
                int duration = Math.min(i + 1, 6) * 160;
                assertEquals(packets.get(0).timestamp(), packets.get(i).timestamp(), "one timestamp per event");
                assertEquals(KEYS.get(k), payload[0] & 0xFF, "the key, key " + k);
                assertEquals(i >= 5, (payload[1] & 0x80) != 0, "the E bit on the last three, key " + k + " #" + i);
                assertEquals(duration, ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF), "key " + k + " #" + i);
            }
            assertEquals(KEY_UNITS, ((packets.getLast().payload()[2] & 0xFF) << 8)
                    | (packets.getLast().payload()[3] & 0xFF));
        }
        int lastEvent = wire.indexOf(events.getLast());
        assertTrue(wire.subList(lastEvent, wire.size()).stream().anyMatch(p -> p.payloadType() == PCMU_PT
                && !allSilent(p.payload())), "the agent's reply came after the keys");
        assertTrue(wire.subList(wire.indexOf(events.getFirst()), lastEvent).stream()
                .filter(p -> p.payloadType() == PCMU_PT).allMatch(p -> allSilent(p.payload())),
                "nothing but silence between the keys: the reply waited");

        CallJson json = call.json();
        List<String> keys = new ArrayList<>();
        json.root().path("dtmf").forEach(k -> keys.add(k.path("digit").asText() + " " + k.path("duration_ms").asLong()
                + " " + k.path("direction").asText()));
        assertEquals(List.of("1 120 outbound", "# 120 outbound", "9 120 outbound"), keys, json.toString());
        JsonNode tool = json.root().path("tools").path(0);
        assertEquals("send_dtmf", tool.path("name").asText(), tool.toString());
        assertTrue(tool.path("error").isNull(), tool.toString());
    }

    /** End packets (E bit) of telephone-events among {@code packets}. */
    private static long ends(List<RtpPeer.Packet> packets) {
        return packets.stream().filter(p -> p.payloadType() == EVENT_PT && (p.payload()[1] & 0x80) != 0).count();
    }

    private static boolean allSilent(byte[] payload) {
        for (byte b : payload) {
            if (b != ULAW_ZERO) {
                return false;
            }
        }
        return true;
    }
}
