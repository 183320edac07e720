package gateway.sip;

import static gateway.sip.Caller.audio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.transport.CallLogContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SIP layer's lines about a call carry its ids ({@link CallLogContext}) though one loop serves every call: a
 * message logs with the ids the layer above gave its call ({@link InboundCall#logAs}), or with its Call-ID alone, and
 * a timer with the ids of the work that started it.
 */
class SipLogIdsTest {

    private static final Logger SIP_LOGGER = Logger.getLogger("gateway.sip");

    /** A line's message pattern and the ids current while it was logged. */
    private record Logged(String pattern, CallLogContext.Ids ids) {
    }

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);
    private final List<Logged> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(new Logged(record.getMessage(), CallLogContext.current()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @BeforeEach
    void establish() {
        level = SIP_LOGGER.getLevel();
        SIP_LOGGER.setLevel(Level.ALL);
        SIP_LOGGER.addHandler(capture);
        caller.establish(audio(1));
    }

    @AfterEach
    void tearDown() {
        SIP_LOGGER.removeHandler(capture);
        SIP_LOGGER.setLevel(level);
        sip.close();
    }

    private CallLogContext.Ids idsOf(String pattern) {
        return logged.stream().filter(l -> l.pattern().contains(pattern)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + pattern + "' in " + logged)).ids();
    }

    private void badInfo() {
        String request = caller.request("INFO", caller.newBranch(), ++caller.cseq, caller.toTag, Caller.CONTACT,
                "Signal=X\r\nDuration=160").replace("Content-Type: application/sdp",
                "Content-Type: application/dtmf-relay");
        sip.send(request);
        sip.next();
    }

    @Test
    void anInDialogRequestLogsWithTheIdsTheLayerAboveGaveItsCall() {
        CallLogContext.Ids ids = new CallLogContext.Ids("20261206T070000Z-0a1b2c3d", caller.call.callId());
        caller.call.logAs(ids);
        badInfo();
        assertEquals(ids, idsOf("INFO with a bad DTMF body"));
        assertNull(CallLogContext.current(), "the ids are restored after the message");
    }

    @Test
    void aMessageOfACallNotYetNamedLogsWithItsCallIdAlone() {
        badInfo();
        assertEquals(new CallLogContext.Ids(null, caller.call.callId()), idsOf("INFO with a bad DTMF body"));
    }

    @Test
    void aTimerLogsWithTheIdsOfTheWorkThatStartedIt() {
        CallLogContext.Ids ids = new CallLogContext.Ids("20261206T070000Z-0a1b2c3d", caller.call.callId());
        CallLogContext.run(ids, caller.call::hangup);     // as the call's loop does, its ids set
        sip.scheduler.advanceMillis(32_000);              // timer F (RFC 3261 §17.1.2.2): 64*T1 without an answer
        assertEquals(ids, idsOf("BYE got no final response"));
        assertNull(CallLogContext.current());
    }
}
