package gateway.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.time.Duration;

/**
 * The kernel's refusal of a datagram, as its sender sees it: a UDP socket connected to the destination gets the ICMP
 * port unreachable back as an error on its next receive or send (Linux {@code udp(7)}, {@code IP_RECVERR} off).
 */
public final class PortRefusal {

    private PortRefusal() {
    }

    /**
     * Reads on {@code connected} until the refusal of what it sent comes back; datagrams read meanwhile are skipped.
     * A socket timeout after {@code timeout} without it fails the test.
     */
    public static void await(DatagramSocket connected, Duration timeout) throws IOException {
        connected.setSoTimeout((int) timeout.toMillis());
        byte[] buffer = new byte[2048];
        while (true) {
            try {
                connected.receive(new DatagramPacket(buffer, buffer.length));
            } catch (PortUnreachableException refused) {
                return;
            }
        }
    }
}
