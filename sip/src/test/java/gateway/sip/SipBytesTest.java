package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What admission reads from raw bytes: the kind, a word in the User-Agent. */
class SipBytesTest {

    private static final byte[][] SCANNERS = {"friendly-scanner".getBytes(StandardCharsets.US_ASCII),
        "sipvicious".getBytes(StandardCharsets.US_ASCII)};

    @Test
    void kinds() {
        assertEquals(SipBytes.Kind.INVITE, SipBytes.kind(bytes(SipTestMessages.invite("z9hG4bK1", null))));
        assertEquals(SipBytes.Kind.ACK, SipBytes.kind(bytes("ACK sip:a@b SIP/2.0\r\n")));
        assertEquals(SipBytes.Kind.OTHER_REQUEST, SipBytes.kind(bytes("INVITEX sip:a@b SIP/2.0\r\n")));
        assertEquals(SipBytes.Kind.RESPONSE, SipBytes.kind(bytes("SIP/2.0 200 OK\r\n")));
        assertEquals(SipBytes.Kind.OTHER_REQUEST, SipBytes.kind(bytes("AC")));
    }

    @Test
    void scannerWordsAreFoundInTheUserAgentOnly() {
        String invite = SipTestMessages.invite("z9hG4bK1", null);
        assertFalse(SipBytes.userAgentContains(bytes(invite), SCANNERS));
        assertTrue(SipBytes.userAgentContains(bytes(invite.replace("Max-Forwards: 70\r\n",
                "Max-Forwards: 70\r\nUser-Agent: Friendly-Scanner 1.0\r\n")), SCANNERS));
        assertTrue(SipBytes.userAgentContains(bytes(invite.replace("Max-Forwards: 70\r\n",
                "Max-Forwards: 70\r\nuser-agent  :sipvicious\r\n")), SCANNERS));
        assertFalse(SipBytes.userAgentContains(bytes(invite.replace("Max-Forwards: 70\r\n",
                "Max-Forwards: 70\r\nX-Note: friendly-scanner\r\nUser-Agentx: sipvicious\r\n")), SCANNERS));
        assertFalse(SipBytes.userAgentContains(bytes(invite.replace("Content-Length: 0\r\n\r\n",
                "Content-Length: 26\r\n\r\nUser-Agent: sipvicious\r\n")), SCANNERS), "not in the body");
        assertTrue(SipBytes.userAgentContains(bytes("OPTIONS sip:a@b SIP/2.0\nUser-Agent: sipcli/v1.8\n\n"),
                new byte[][] {"sipcli".getBytes(StandardCharsets.US_ASCII)}), "bare LF line ends");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
