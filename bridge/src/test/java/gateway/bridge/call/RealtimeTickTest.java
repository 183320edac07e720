package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call's playout ticks reach its Realtime session, on the manual clock: a link that sends the caller's audio in
 * batches relies on them to send a batch that waited long enough (a caller who stopped mid-batch), and a closed
 * session gets none.
 */
class RealtimeTickTest {

    @TempDir
    Path dir;
    private CallFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void everyPlayoutTickReachesTheLiveSessionAndNoneAClosedOne() throws Exception {
        fx = new CallFixture(dir, CallFixture.policy());
        CallFixture.Line line = fx.answered(FakeDialog.PCMU);
        ScriptedRealtime.Session session = fx.realtime.session(0);
        int before = session.ticks;

        fx.advanceMillis(200);
        assertEquals(10, session.ticks - before, "one tick per 20 ms of playout, caller silent or not");
        fx.talk(100, line);
        assertEquals(15, session.ticks - before);

        line.hangUp();
        int atHangUp = session.ticks;
        fx.advanceMillis(200);
        assertEquals(atHangUp, session.ticks, "a closed session is not ticked");
    }
}
