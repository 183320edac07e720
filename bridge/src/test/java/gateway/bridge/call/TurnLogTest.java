package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.library.Role;
import gateway.library.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnLogTest {

    @Test
    void lateTranscriptsLandOnTheirTurnByItemId() {
        TurnLog log = new TurnLog();
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
        log.played("resp_1", "item_A1", 0, 24 * 400);
        log.responseDone("resp_1", "cancelled");
        log.callerSpeechStarted("item_U2", 380);
        log.transcript("item_A9", Role.ASSISTANT, "never played");
        assertEquals(List.of(
                new Turn(Role.ASSISTANT, 0, 400, "", "item_A1", true),
                new Turn(Role.CALLER, 380, 900, "", "item_U2", false)), log.snapshot(900));
    }

    @Test
    void transcriptDeltasStandInUntilTheFullTranscriptArrives() {
        TurnLog log = new TurnLog();
        log.played("resp_1", "item_A1", 0, 24 * 400);
        log.assistantTranscriptDelta("item_A1", "Good");
        log.assistantTranscriptDelta("item_A1", " morning");
        assertEquals("Good morning", log.snapshot(400).get(0).text());
        log.transcript("item_A1", Role.ASSISTANT, "Good morning, caller.");
        log.assistantTranscriptDelta("item_A1", " late piece");
        assertEquals("Good morning, caller.", log.snapshot(400).get(0).text());
    }

    @Test
    void aCallerCutOffByHoldEndsThereAndALaterSpeechStoppedDoesNotMoveIt() {
        TurnLog log = new TurnLog();
        log.callerSpeechStarted("item_U1", 1000);
        log.callerCutOff("item_U1", 1500);
        log.callerSpeechStopped("item_U1", 9000);
        assertEquals(List.of(new Turn(Role.CALLER, 1000, 1500, "", "item_U1", true)), log.snapshot(10_000));
    }

    @Test
    void anUnfinishedCallerTurnResentFromItsStartIsDroppedAndNoOtherIs() {
        TurnLog log = new TurnLog();
        log.callerSpeechStarted("item_U1", 1000);
        log.callerSpeechStopped("item_U1", 2000);
        log.callerSpeechStarted("item_U2", 3000);
        log.forgetUnfinished("item_U1", 900);                  // ended: a turn of its own
        log.forgetUnfinished("item_U2", 3100);                 // resent from after its start: kept
        assertEquals(2, log.snapshot(4000).size());
        log.forgetUnfinished("item_U2", 3000);                 // resent from its start: the next session's turn
        assertEquals(List.of(new Turn(Role.CALLER, 1000, 2000, "", "item_U1", false)), log.snapshot(4000));
    }
}
