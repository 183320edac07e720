package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.demoagent.DemoScript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No open relay: a caller outside sip.allowed-sources gets 403 and never causes a Realtime connection. */
@Tag("e2e")
class SourceAllowListIT {

    private static final int RTP_MIN = 31_800;

    @TempDir
    Path recordings;

    @Test
    void callerOutsideTheAllowListIsRefusedWithoutOpeningASession() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings,
                List.of("--sip.allowed-sources=192.0.2.0/24"))) {
            Sipp.Result sipp = Sipp.scenario("uac_expect_403.xml").run(gw.sipPort(), "source-refused");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            SipMessage refused = sipp.response(403, "INVITE");
            assertEquals(sipp.sent("INVITE").header("Call-ID").orElseThrow(), refused.header("Call-ID").orElseThrow());
            assertTrue(sipp.messages().stream().noneMatch(m -> m.statusCode() == 180 || m.statusCode() == 200),
                    "no ringing, no answer");
            assertEquals(0, gw.agent().connections(), "no Realtime session was opened for a refused caller");
            assertEquals(0, Recordings.callDirs(recordings).size());
        }
    }

    @Test
    void theDefaultWithAPaidRealtimeServiceStillTakesCallsFromThisMachine() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN + 50, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(1_000).run(gw.sipPort(), "source-loopback");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            assertEquals(1, gw.agent().connections());
        }
    }
}
