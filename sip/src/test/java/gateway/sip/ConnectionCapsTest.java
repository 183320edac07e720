package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionCapsTest {

    private static final InetAddress A = address(1);
    private static final InetAddress B = address(2);
    private static final InetAddress BALANCER = address(9);
    private final ConnectionCaps caps = new ConnectionCaps(new ConnectionLimits(5, 2, Duration.ofSeconds(1)),
            BALANCER::equals);

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSourceGetsItsCapAndAPlaceBackWhenOneCloses() {
        assertTrue(caps.take(A));
        assertTrue(caps.take(A));
        assertFalse(caps.take(A), "third from one source");
        assertTrue(caps.take(B), "another source is not affected");
        caps.release(A);
        assertTrue(caps.take(A), "a place freed by a close");
        assertEquals(3, caps.open());
    }

    @Test
    void theTotalCapsEveryoneAndABalancerCountsOnlyTowardsIt() {
        assertTrue(caps.take(BALANCER));
        assertTrue(caps.take(BALANCER));
        assertTrue(caps.take(BALANCER), "a load balancer carries many callers: no per-source cap");
        assertTrue(caps.take(A));
        assertTrue(caps.take(B));
        assertFalse(caps.take(BALANCER), "the total holds for balancers too");
        assertFalse(caps.take(address(3)), "and for new sources");
        caps.release(BALANCER);
        assertTrue(caps.take(address(3)));
        assertEquals(5, caps.open());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(() -> new ConnectionLimits(0, 1, Duration.ofSeconds(1)));
        assertThrows(() -> new ConnectionLimits(1, 0, Duration.ofSeconds(1)));
        assertThrows(() -> new ConnectionLimits(1, 1, Duration.ZERO));
    }

    private static void assertThrows(Runnable build) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, build::run);
    }
}
