package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The PROXY protocol in front of a SIP stream: taken from trusted addresses, refused from others. */
class ProxyProtocolTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress("192.0.2.50", 41000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.66", 42000);
    private static final String OPTIONS = "OPTIONS sip:gw@192.0.2.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 198.51.100.7:40000;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:gw@x>\r\n"
            + "Call-ID: proxy-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    /** v1: the text line (proxy-protocol.txt §2.1): protocol, source, destination, source port, destination port. */
    private static final String V1 = "PROXY TCP4 198.51.100.7 192.0.2.1 40000 5060\r\n";
    /** v2 (§2.2), annotated: signature, version 2 + PROXY, TCP over IPv4, 12 address bytes, the addresses, ports. */
    private static final byte[] V2 = HexFormat.of().parseHex(
            "0d0a0d0a000d0a515549540a" // the 12-byte signature
            + "21"                     // version 2, command PROXY
            + "11"                     // AF_INET, STREAM
            + "000c"                   // 12 bytes follow
            + "c6336407"               // source 198.51.100.7
            + "c0000201"               // destination 192.0.2.1
            + "9c40"                   // source port 40000
            + "13c4");                 // destination port 5060
    /** v2 LOCAL (a health check of the balancer itself): no address. */
    private static final byte[] V2_LOCAL = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000");

    /** A connection from {@code remote} with the PROXY handler (trusting only the balancer) before the framer. */
    private static EmbeddedChannel connectionFrom(InetSocketAddress remote) {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channel.pipeline().addLast(new ProxyProtocolHandler(BALANCER.getAddress()::equals), new TcpSipFramer());
        return channel;
    }

    private static InetSocketAddress sourceOfFirstMessage(EmbeddedChannel channel) {
        RawSipMessage message = channel.readInbound();
        assertEquals(OPTIONS, new String(message.data(), StandardCharsets.UTF_8));
        return message.peer().remote();
    }

    @Test
    void aV1HeaderFromTheBalancerNamesTheCaller() throws Exception {
        EmbeddedChannel channel = connectionFrom(BALANCER);
        // Split across reads, as TCP may deliver it.
        channel.writeInbound(Unpooled.copiedBuffer(V1.substring(0, 9), StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer(V1.substring(9) + OPTIONS, StandardCharsets.US_ASCII));
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000),
                sourceOfFirstMessage(channel));
        assertFalse(channel.finish());
    }

    @Test
    void aV2HeaderFromTheBalancerNamesTheCaller() throws Exception {
        EmbeddedChannel channel = connectionFrom(BALANCER);
        channel.writeInbound(Unpooled.wrappedBuffer(V2, OPTIONS.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000),
                sourceOfFirstMessage(channel));
        assertFalse(channel.finish());
    }

    @Test
    void aLocalV2HeaderOrNoHeaderFromTheBalancerLeavesItsOwnAddress() {
        EmbeddedChannel local = connectionFrom(BALANCER);
        local.writeInbound(Unpooled.wrappedBuffer(V2_LOCAL, OPTIONS.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(BALANCER, sourceOfFirstMessage(local));
        assertFalse(local.finish());
        EmbeddedChannel direct = connectionFrom(BALANCER);
        direct.writeInbound(Unpooled.copiedBuffer(OPTIONS, StandardCharsets.US_ASCII));
        assertEquals(BALANCER, sourceOfFirstMessage(direct));
        assertFalse(direct.finish());
    }

    @Test
    void aHeaderFromAnyoneElseClosesTheConnection() {
        for (byte[] header : new byte[][] {V1.getBytes(StandardCharsets.US_ASCII), V2}) {
            EmbeddedChannel channel = connectionFrom(STRANGER);
            channel.writeInbound(Unpooled.wrappedBuffer(header, OPTIONS.getBytes(StandardCharsets.US_ASCII)));
            assertNull(channel.readInbound());
            assertFalse(channel.isOpen(), "closed");
            assertFalse(channel.finish());
        }
    }

    @Test
    void aMalformedHeaderFromTheBalancerClosesTheConnection() {
        // v2 (§2.2.7): a TLV whose length (0x5054) runs past the 16 bytes the header says it has; netty's decoder
        // throws IndexOutOfBoundsException for it, not its protocol exception (found by SipStreamFuzzTest).
        byte[] tlvTooLong = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "11"
                + "0010"                    // 16 bytes follow: 12 of addresses and ports, 4 of TLV
                + "c6336407" + "c0000201" + "9c40" + "13c4"
                + "4f" + "5054" + "49");   // TLV type 0x4f, length 20564, one byte of value
        byte[] badVersion = V1.replace("TCP4", "TCP9").getBytes(StandardCharsets.US_ASCII);
        for (byte[] header : new byte[][] {tlvTooLong, badVersion}) {
            EmbeddedChannel channel = connectionFrom(BALANCER);
            channel.writeInbound(Unpooled.wrappedBuffer(header, OPTIONS.getBytes(StandardCharsets.US_ASCII)));
            assertNull(channel.readInbound());
            assertFalse(channel.isOpen(), "closed");
            channel.checkException();
            assertFalse(channel.finish());
        }
    }

    @Test
    void aStrangerWithoutHeaderIsServedUnderItsOwnAddress() {
        EmbeddedChannel channel = connectionFrom(STRANGER);
        channel.writeInbound(Unpooled.copiedBuffer(OPTIONS, StandardCharsets.US_ASCII));
        assertEquals(STRANGER, sourceOfFirstMessage(channel));
        assertTrue(channel.isOpen());
        assertFalse(channel.finish());
    }
}
