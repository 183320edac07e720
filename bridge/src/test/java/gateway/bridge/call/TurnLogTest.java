package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.recorder.Role;
import gateway.recorder.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnLogTest {

    @Test
    void callerTurnsAreMappedFromInputBufferTimeToRecordingTime() {
        TurnLog log = new TurnLog();
        log.inputOrigin(24 * 180);          // first appended sample was recorded at 180 ms
        log.inputOrigin(24 * 999);          // later frames do not move the origin
        log.callerSpeechStarted("item_U", 1236);
        log.callerSpeechStopped("item_U", 3808);
        assertEquals(List.of(new Turn(Role.CALLER, 1416, 3988, "", "item_U", false)), log.snapshot(10_000));
    }

    @Test
    void lateTranscriptsLandOnTheirTurnByItemId() {
        TurnLog log = new TurnLog();
        log.inputOrigin(0);
        log.callerSpeechStarted("item_U1", 1000);
        log.callerSpeechStopped("item_U1", 2000);
        log.played("resp_1", "item_A1", 24 * 2200, 24 * 500);
        log.played("resp_1", "item_A1", 24 * 2700, 24 * 300);
        log.transcript("item_A1", Role.ASSISTANT, "Hello there.");
        log.transcript("item_U1", Role.CALLER, "Hi.");
        assertEquals(List.of(
                new Turn(Role.CALLER, 1000, 2000, "Hi.", "item_U1", false),
                new Turn(Role.ASSISTANT, 2200, 3000, "Hello there.", "item_A1", false)), log.snapshot(5000));
    }

    @Test
    void cancelledResponsesMarkTheirItemsInterruptedAndOpenTurnsEndAtTheCallEnd() {
        TurnLog log = new TurnLog();
        log.inputOrigin(0);
        log.played("resp_1", "item_A1", 0, 24 * 400);
        log.responseDone("resp_1", "cancelled");
        log.callerSpeechStarted("item_U2", 380);
        log.transcript("item_A9", Role.ASSISTANT, "never played");
        assertEquals(List.of(
                new Turn(Role.ASSISTANT, 0, 400, "", "item_A1", true),
                new Turn(Role.CALLER, 380, 900, "", "item_U2", false)), log.snapshot(900));
    }
}
