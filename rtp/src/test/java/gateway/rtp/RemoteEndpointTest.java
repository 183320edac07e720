package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Where outbound RTP goes: the SDP address when the socket can reach it, else the first packet's source. */
class RemoteEndpointTest {

    private static final InetSocketAddress V4 = new InetSocketAddress("192.0.2.10", 7102);
    private static final InetSocketAddress ULA = new InetSocketAddress("fd00::2", 7102);
    private static final InetSocketAddress SOURCE = new InetSocketAddress("198.51.100.7", 31000);

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void anAddressOfTheSocketsFamilyIsUsedAtOnce() throws UnknownHostException {
        assertEquals(V4, new RemoteEndpoint(V4, ip("127.0.0.1")).current());
        assertEquals(ULA, new RemoteEndpoint(ULA, ip("::1")).current());
    }

    @Test
    void aWildcardOrUnknownBindReachesEveryFamily() throws UnknownHostException {
        assertEquals(ULA, new RemoteEndpoint(ULA, ip("0.0.0.0")).current());
        assertEquals(ULA, new RemoteEndpoint(ULA, ip("::")).current());
        assertEquals(ULA, new RemoteEndpoint(ULA, null).current());
    }

    @Test
    void anAddressOfTheOtherFamilyWaitsForTheFirstPacket() throws UnknownHostException {
        RemoteEndpoint ipv4Socket = new RemoteEndpoint(ULA, ip("127.0.0.1"));
        assertNull(ipv4Socket.current());
        assertTrue(ipv4Socket.latch(SOURCE, 0));
        assertEquals(SOURCE, ipv4Socket.current());
        assertNull(new RemoteEndpoint(V4, ip("::1")).current());
    }

    @Test
    void aMoveToAnUnreachableAddressLatchesAgain() throws UnknownHostException {
        RemoteEndpoint remote = new RemoteEndpoint(V4, ip("127.0.0.1"));
        remote.latch(V4, 0);
        remote.retarget(ULA, 0);
        assertNull(remote.current(), "nothing is sent to an address the socket cannot reach");
        assertTrue(remote.latch(SOURCE, 1));
        assertEquals(SOURCE, remote.current());
    }
}
