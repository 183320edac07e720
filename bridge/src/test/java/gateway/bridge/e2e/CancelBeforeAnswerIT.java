package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller cancels before the answer: 200 for the CANCEL, 487 for the INVITE, no recording, gateway still serving. */
@Tag("e2e")
class CancelBeforeAnswerIT {

    private static final int RTP_MIN = 31_300;

    @TempDir
    Path recordings;

    @Test
    void cancelledCallLeavesNoRecordingAndTheNextCallIsAnswered() throws Exception {
        RecordedCall call;
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Result cancel = Sipp.scenario("uac_cancel.xml").run(gw.sipPort(), "cancel-before-answer");
            assertEquals(Sipp.SUCCESS, cancel.exitCode(), cancel.describe());
            SipMessage terminated = cancel.response(487, "INVITE");
            SipMessage cancelled = cancel.response(200, "CANCEL");
            String callId = cancel.sent("INVITE").header("Call-ID").orElseThrow();
            assertEquals(callId, terminated.header("Call-ID").orElseThrow());
            assertEquals(callId, cancelled.header("Call-ID").orElseThrow());
            assertTrue(cancel.messages().stream().noneMatch(m -> m.statusCode() == 200 && m.method().equals("INVITE")),
                    "the INVITE was never answered");

            Sipp.Result next = Sipp.scenario("uac_speech.xml").pauseMs(2_000).run(gw.sipPort(), "cancel-then-call");
            assertEquals(Sipp.SUCCESS, next.exitCode(), next.describe());
            // Exactly one finished directory: one the cancelled call may have started must be gone by now.
            call = RecordedCall.awaitOnly(recordings, Duration.ofSeconds(5));
            assertEquals(next.sent("INVITE").header("Call-ID").orElseThrow(), call.json().text("sip_call_id"));
            assertEquals("caller_bye", call.json().text("end_reason"));
        }
        // Closing the gateway waited for both calls to end and for the recorder to carry out all it was asked.
        assertEquals(List.of(call.dir()), Recordings.callDirs(recordings), "no recording for the unanswered call");
    }
}
