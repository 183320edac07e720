package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of carrier behaviour: session timer headers (RFC 4028), option tags, private addresses. */
class SessionTimerRequestTest {

    private static SIPRequest invite(String headers) {
        String text = SipTestMessages.invite("z9hG4bK-st", null)
                .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n" + headers);
        ParseOutcome outcome = new SipMessageParser().parse(text.getBytes(StandardCharsets.UTF_8));
        return ((ParseOutcome.Request) outcome).message();
    }

    @Test
    void ciscosMinSeWithTwoSpacesIsRead() {
        SessionTimerRequest timer = SessionTimerRequest.of(invite("Session-Expires: 1800\r\nMin-SE:  1800\r\n"));
        assertEquals(1800, timer.sessionExpires());
        assertEquals(1800, timer.minSe());
        assertNull(timer.refresher());
        assertEquals("1800;refresher=uas", timer.answer().header(), "a caller without timer support: we refresh");
    }

    @Test
    void theCompactFormAndTheRefresherParameterAreRead() {
        SessionTimerRequest timer = SessionTimerRequest.of(invite("x: 4000;refresher=UAC\r\nk: timer\r\n"));
        assertEquals(4000, timer.sessionExpires());
        assertEquals("uac", timer.refresher());
        assertTrue(timer.timerSupported());
        assertEquals(new SessionTimerRequest.Answer(1800, true, true), timer.answer(),
                "1800 s at most, the UAC refreshes");
    }

    @Test
    void anIntervalBelowMinSeIsTooSmallAndNoneAskedIsNoTimer() {
        assertEquals(90, SessionTimerRequest.of(invite("Session-Expires: 89\r\n")).tooSmall());
        assertEquals(-1, SessionTimerRequest.of(invite("Session-Expires: 90\r\n")).tooSmall());
        assertEquals(1200, SessionTimerRequest.of(invite("Session-Expires: 1000\r\nMin-SE: 1200\r\n")).tooSmall());
        SessionTimerRequest none = SessionTimerRequest.of(invite(""));
        assertFalse(none.asked());
        assertNull(none.answer());
        assertEquals(-1, SessionTimerRequest.of(invite("Session-Expires: soon\r\n")).tooSmall(), "not a number");
    }

    @Test
    void optionTagsAreReadAcrossRepeatedHeaders() {
        SIPRequest cucm = invite("Supported: timer,resource-priority,replaces\r\nSupported: 100rel\r\n"
                + "Require: timer, x-unknown\r\n");
        assertTrue(Extensions.supports(cucm, Extensions.RELIABLE_PROVISIONALS));
        assertTrue(Extensions.requires(cucm, Extensions.SESSION_TIMER));
        assertFalse(Extensions.requires(cucm, Extensions.RELIABLE_PROVISIONALS));
        assertEquals(List.of("x-unknown"), Extensions.unsupportedRequired(cucm));
    }

    @Test
    void privateAddressesAreWhatANatHides() throws Exception {
        for (String address : new String[] {"10.1.2.3", "172.25.10.20", "192.168.0.1", "100.64.0.1",
                "100.127.255.254", "169.254.1.1", "fd00::1", "fc12::7", "fe80::1"}) {
            assertTrue(PrivateAddresses.isPrivate(InetAddress.getByName(address)), address);
        }
        for (String address : new String[] {"192.0.2.10", "100.63.255.255", "100.128.0.0", "8.8.8.8", "2001:db8::1"}) {
            assertFalse(PrivateAddresses.isPrivate(InetAddress.getByName(address)), address);
        }
    }
}
