package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * What arrives on an RTP port, told apart by its first byte (RFC 7983 §7): RTP goes on untouched, a STUN Binding
 * request is answered (RFC 5389 §7.3) with the address vectors of RFC 5769, the rest is dropped and counted.
 */
class DemultiplexHandlerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    /** RFC 5769 §2.2 and §2.3: the mapped addresses of the sample responses, port 32853. */
    private static final InetSocketAddress V4_SOURCE = new InetSocketAddress("192.0.2.1", 32853);
    private static final InetSocketAddress V6_SOURCE =
            new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853);
    /** RFC 5769's transaction id. */
    private static final String TRANSACTION = "b7e7a701bc34d686fa87dfae";

    private final ManualScheduler clock = new ManualScheduler(0);
    private final DemultiplexHandler demux = new DemultiplexHandler("test", clock);
    private final EmbeddedChannel channel = new EmbeddedChannel(demux);

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    /** A Binding request of RFC 5389: type, length 0, cookie, RFC 5769's transaction id, and {@code attributes}. */
    private static byte[] bindingRequest(String attributes) {
        byte[] attrs = bytes(attributes);
        return bytes("0001" + String.format("%04x", attrs.length) + "2112a442" + TRANSACTION + HEX.formatHex(attrs));
    }

    private String answerTo(byte[] request, InetSocketAddress from) {
        channel.writeInbound(TestPackets.datagram(request, from, LOCAL));
        DatagramPacket sent = channel.readOutbound();
        assertEquals(from, sent.recipient(), "the answer goes back to where the request came from");
        String hex = HEX.formatHex(ByteBufUtil.getBytes(sent.content()));
        sent.release();
        return hex;
    }

    @Test
    void rtpAndRtcpGoOnUntouched() {
        byte[] rtp = TestPackets.rtp(0, 1, 160, 7, new byte[160]);
        byte[] rtcp = bytes("80c80006" + "00000007" + "0000000000000000" + "00000000" + "00000000" + "00000000");
        for (byte[] packet : new byte[][] {rtp, rtcp}) {
            DatagramPacket in = TestPackets.datagram(packet, V4_SOURCE, LOCAL);
            channel.writeInbound(in);
            DatagramPacket out = channel.readInbound();
            assertSame(in, out, "the same datagram, not a copy");
            assertArrayEquals(packet, ByteBufUtil.getBytes(out.content()));
            out.release();
        }
        assertNull(channel.readOutbound());
        assertEquals(0, demux.stunAnswered + demux.stunDropped + demux.dtlsDropped + demux.otherDropped);
        assertFalse(channel.finish());
    }

    @Test
    void aBindingRequestIsAnsweredWithTheXorMappedIpv4Address() {
        String response = answerTo(bindingRequest(""), V4_SOURCE);
        assertEquals("0101" + "000c" + "2112a442" + TRANSACTION
                        // XOR-MAPPED-ADDRESS, length 8: reserved, family IPv4, port ^ 0x2112, address ^ cookie
                        + "0020" + "0008" + "00" + "01" + "a147" + "e112a643",
                response, "RFC 5769 §2.2's XOR-MAPPED-ADDRESS");
        assertEquals(1, demux.stunAnswered);
        assertNull(channel.readInbound(), "STUN never reaches the RTP side");
        assertFalse(channel.finish());
    }

    @Test
    void anIpv6SourceIsXoredWithCookieAndTransactionId() {
        String response = answerTo(bindingRequest(""), V6_SOURCE);
        assertEquals("0101" + "0018" + "2112a442" + TRANSACTION
                        + "0020" + "0014" + "00" + "02" + "a147" + "0113a9faa5d3f179bc25f4b5bed2b9d9",
                response, "RFC 5769 §2.3's XOR-MAPPED-ADDRESS");
        assertFalse(channel.finish());
    }

    @Test
    void aRequestWithFingerprintGetsAFingerprintedResponse() {
        // SOFTWARE "STUN" (padded to 4), then FINGERPRINT over what precedes it (RFC 5389 §15.5).
        byte[] withoutFingerprint = bindingRequest("8022000453545520");
        byte[] request = bindingRequest("8022000453545520" + "80280004" + fingerprint(withLength(withoutFingerprint,
                withoutFingerprint.length - 20 + 8)));
        String response = answerTo(request, V4_SOURCE);
        assertEquals("0101" + "0014" + "2112a442" + TRANSACTION + "00200008" + "0001a147e112a643" + "80280004",
                response.substring(0, response.length() - 8));
        byte[] sent = bytes(response);
        assertEquals(fingerprint(java.util.Arrays.copyOf(sent, sent.length - 8)), response.substring(
                response.length() - 8), "CRC-32 of the response up to the attribute, XOR 0x5354554e");
        assertFalse(channel.finish());
    }

    /** The message with its length field set to {@code length}, as FINGERPRINT's CRC covers it (§15.5). */
    private static byte[] withLength(byte[] message, int length) {
        byte[] copy = message.clone();
        copy[2] = (byte) (length >>> 8);
        copy[3] = (byte) length;
        return copy;
    }

    private static String fingerprint(byte[] covered) {
        CRC32 crc = new CRC32();
        crc.update(covered);
        return String.format("%08x", (int) crc.getValue() ^ 0x5354554e);
    }

    @Test
    void anRfc3489RequestGetsMappedAddressInTheClear() {
        String id = "0102030405060708090a0b0c0d0e0f10";
        String response = answerTo(bytes("00010000" + id), V4_SOURCE);
        assertEquals("0101" + "000c" + id + "0001" + "0008" + "0001" + "8055" + "c0000201", response);
        assertFalse(channel.finish());
    }

    @Test
    void stunOtherThanABindingRequestDtlsAndNoiseAreDroppedQuietly() {
        try (LogCapture log = LogCapture.of(DemultiplexHandler.class)) {
            byte[] indication = bytes("00110000" + "2112a442" + TRANSACTION);
            byte[] response = bytes("01010000" + "2112a442" + TRANSACTION);
            byte[] truncated = bytes("00010004" + "2112a442" + TRANSACTION);
            byte[] dtlsHello = bytes("16fefd0000000000000000002f");
            byte[] turnChannel = bytes("40000004deadbeef");
            for (byte[] packet : new byte[][] {indication, response, truncated, dtlsHello, dtlsHello, turnChannel,
                    new byte[0]}) {
                channel.writeInbound(TestPackets.datagram(packet, V4_SOURCE, LOCAL));
            }
            assertNull(channel.readOutbound(), "nothing answered");
            assertNull(channel.readInbound(), "nothing passed on");
            assertEquals(3, demux.stunDropped);
            assertEquals(2, demux.dtlsDropped);
            assertEquals(2, demux.otherDropped);
            assertTrue(log.lines().stream().noneMatch(l -> l.level().getSeverity() > Level.DEBUG.getSeverity()),
                    log.lines().toString());
        }
        assertFalse(channel.finish());
    }

    @Test
    void answersAreLimitedPerSecond() {
        byte[] request = bindingRequest("");
        for (int i = 0; i < DemultiplexHandler.STUN_ANSWERS_PER_SECOND + 5; i++) {
            channel.writeInbound(TestPackets.datagram(request, V4_SOURCE, LOCAL));
        }
        assertEquals(DemultiplexHandler.STUN_ANSWERS_PER_SECOND, demux.stunAnswered);
        assertEquals(5, demux.stunDropped);
        clock.advanceMillis(1000);
        channel.writeInbound(TestPackets.datagram(request, V4_SOURCE, LOCAL));
        assertEquals(DemultiplexHandler.STUN_ANSWERS_PER_SECOND + 1, demux.stunAnswered, "a new second, a new answer");
        channel.outboundMessages().forEach(m -> ((DatagramPacket) m).release());
        channel.outboundMessages().clear();
        assertFalse(channel.finish());
    }
}
