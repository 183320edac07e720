package gateway.sip;

import static gateway.sip.Caller.audio;
import static gateway.sip.UdpHarness.header;
import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key presses in INFO requests (RFC 6086 legacy usage): application/dtmf-relay and application/dtmf. */
class InfoDtmfTest {

    private final UdpHarness sip = new UdpHarness();
    private final Caller caller = new Caller(sip);

    @BeforeEach
    void establish() {
        caller.establish(audio(1));
    }

    @AfterEach
    void tearDown() {
        sip.close();
    }

    /** Sends an INFO; {@code body} may spell CR and LF as the two characters backslash r and backslash n. */
    private String info(String contentType, String body) {
        String request = caller.request("INFO", caller.newBranch(), ++caller.cseq, caller.toTag, Caller.CONTACT,
                        body.replace("\\r", "\r").replace("\\n", "\n"))
                .replace("Content-Type: application/sdp", "Content-Type: " + contentType);
        sip.send(request);
        return sip.next();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/dtmf-relay|Signal=5\\r\\nDuration=160\\r\\n|digit 5 160",
        "application/dtmf-relay|Duration=250\\nsignal=#|digit # 250",
        "Application/DTMF-Relay|Signal=11\\r\\nDuration=100|digit # 100",
        "application/dtmf-relay|Signal=*|digit * 0",
        "application/dtmf|9|digit 9 0",
        "application/dtmf|d\\r\\n|digit D 0"})
    void aKeyPressIsAnswered200AndReported(String type, String body, String event) {
        String response = info(type, body);
        assertEquals(200, status(response));
        assertEquals(caller.toTag, UdpHarness.tag(header(response, "To")));
        assertEquals(List.of("ack", event), caller.listener.events);
    }

    @Test
    void anInfoWithoutBodyIsAnswered200AndReportsNothing() {
        assertEquals(200, status(caller.send("INFO", null)));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @Test
    void anotherBodyTypeGets415WithTheTypesWeTake() {
        String response = info("application/json", "{}");
        assertEquals(415, status(response));
        assertEquals("application/dtmf-relay,application/dtmf", header(response, "Accept").replace(" ", ""));
        assertEquals(List.of("ack"), caller.listener.events);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/dtmf-relay|Duration=160",
        "application/dtmf-relay|Signal=X\\r\\nDuration=160",
        "application/dtmf-relay|Signal=5\\r\\nDuration=long",
        "application/dtmf-relay|Signal=5\\r\\nDuration=-1",
        "application/dtmf|55",
        "application/dtmf|5\\r\\nX-Injected: yes"})
    void aDtmfBodyWeCannotReadGets400AndReportsNothing(String type, String body) {
        String response = info(type, body);
        assertEquals("SIP/2.0 400 Bad Request", response.substring(0, response.indexOf("\r\n")));
        assertEquals(List.of("ack"), caller.listener.events);
    }
}
