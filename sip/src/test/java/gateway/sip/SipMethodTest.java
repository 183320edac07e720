package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SipMethodTest {

    @Test
    void allowListsTheImplementedMethodsInOrder() {
        assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO", SipMethod.ALLOW);
    }

    @Test
    void methodNamesAreCaseSensitiveAndUnknownOnesAreOther() {
        assertEquals(SipMethod.UPDATE, SipMethod.of("UPDATE"));
        assertEquals(SipMethod.OTHER, SipMethod.of("update"), "RFC 3261 §7.1: method names are case-sensitive");
        assertEquals(SipMethod.OTHER, SipMethod.of("NEWMETHOD"));
        assertTrue(SipMethod.UPDATE.implemented());
        assertTrue(SipMethod.INFO.implemented());
        assertFalse(SipMethod.REFER.implemented());
        assertFalse(SipMethod.OTHER.implemented());
    }
}
