package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** o= numbers (RFC 3264 §8): the session id stays, the version moves by one only when our SDP changes. */
class SdpOriginTest {

    private final LocalSdp offer = LocalSdp.initialOffer("203.0.113.5", 30000);
    private final LocalSdp moved = LocalSdp.initialOffer("203.0.113.5", 30002);

    @Test
    void theSameSdpKeepsItsVersionAndBytes() {
        SdpOrigin origin = new SdpOrigin(7);
        String first = origin.render(offer);
        assertTrue(first.contains("\r\no=gateway 7 7 IN IP4 203.0.113.5\r\n"), first);
        assertEquals(first, origin.render(LocalSdp.initialOffer("203.0.113.5", 30000)));
    }

    @Test
    void everyChangeMovesTheVersionByOneEvenBackToAnEarlierSdp() {
        SdpOrigin origin = new SdpOrigin(7);
        origin.render(offer);
        assertTrue(origin.render(moved).contains("\r\no=gateway 7 8 "));
        assertTrue(origin.render(offer).contains("\r\no=gateway 7 9 "));
    }
}
