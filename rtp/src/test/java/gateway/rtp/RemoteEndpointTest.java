package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * Where outbound RTP goes: the SDP address when the socket can reach it, then the caller's source: at once from the
 * SDP host, after two packets in sequence from another (RFC 3550 A.1), never from packets sprayed out of sequence.
 */
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
        assertFalse(ipv4Socket.latchRtp(SOURCE, 7, 0));
        assertNull(ipv4Socket.current());
        assertTrue(ipv4Socket.latchRtp(SOURCE, 8, 20));
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

    @Test
    void aPacketFromTheSdpHostLatchesAtOnceWhateverItsPort() {
        RemoteEndpoint remote = new RemoteEndpoint(V4);
        InetSocketAddress natted = new InetSocketAddress("192.0.2.10", 40_000);
        assertTrue(remote.latchRtp(natted, 100, 0));
        assertEquals(natted, remote.current());
        assertFalse(remote.latchRtp(SOURCE, 101, 1), "latched: nobody else takes it");
        assertEquals(natted, remote.current());
    }

    @Test
    void anotherHostLatchesAfterTwoPacketsInSequenceAcrossTheWrap() {
        RemoteEndpoint remote = new RemoteEndpoint(V4);
        assertFalse(remote.latchRtp(SOURCE, 65_535, 0));
        assertEquals(V4, remote.current(), "one packet from another host is not enough");
        assertTrue(remote.latchRtp(SOURCE, 0, 1));
        assertEquals(SOURCE, remote.current());
    }

    @Test
    void packetsOutOfSequenceOrInterleavedWithAnotherSourceNeverLatch() {
        RemoteEndpoint remote = new RemoteEndpoint(V4);
        InetSocketAddress other = new InetSocketAddress("203.0.113.9", 31_000);
        InetSocketAddress otherPort = new InetSocketAddress("198.51.100.7", 31_002);
        assertFalse(remote.latchRtp(SOURCE, 1, 0));
        assertFalse(remote.latchRtp(other, 2, 1));
        assertFalse(remote.latchRtp(SOURCE, 2, 2), "another source came between");
        assertFalse(remote.latchRtp(SOURCE, 9, 3), "a gap");
        assertFalse(remote.latchRtp(otherPort, 10, 4), "the same host from another port");
        assertFalse(remote.latchRtp(SOURCE, 10, 5));
        assertEquals(V4, remote.current());
        assertTrue(remote.latchRtp(new InetSocketAddress("192.0.2.10", 7_104), 500, 6), "the SDP host at once");
    }

    @Test
    void aNewSdpAddressStartsTheProbationAfresh() {
        RemoteEndpoint remote = new RemoteEndpoint(V4);
        assertFalse(remote.latchRtp(SOURCE, 1, 0));
        remote.retarget(new InetSocketAddress("203.0.113.9", 9_000), 1);
        assertFalse(remote.latchRtp(SOURCE, 2, 2), "the run before the update does not count");
        assertTrue(remote.latchRtp(SOURCE, 3, 3));
        remote.retarget(null, 4);
        assertFalse(remote.latchRtp(new InetSocketAddress("192.0.2.10", 7102), 1, 5),
                "c=0.0.0.0 or no address: no host latches at once");
    }
}
