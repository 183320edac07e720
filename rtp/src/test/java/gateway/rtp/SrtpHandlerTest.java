package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** SRTP at the RTP socket's edge, through a channel: what comes in is decrypted, what goes out protected. */
class SrtpHandlerTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);
    private static final SrtpMasterKey THEIRS = key(SrtpSuite.AES_CM_128_HMAC_SHA1_80, 1);
    private static final SrtpMasterKey OURS = key(SrtpSuite.AES_CM_128_HMAC_SHA1_32, 2);

    private static SrtpMasterKey key(SrtpSuite suite, int seed) {
        byte[] keyAndSalt = new byte[30];
        for (int i = 0; i < keyAndSalt.length; i++) {
            keyAndSalt[i] = (byte) (seed * 31 + i);
        }
        return SrtpMasterKey.of(suite, keyAndSalt);
    }

    private final ManualScheduler clock = new ManualScheduler(0);
    private final SrtpHandler handler = new SrtpHandler("test", new SrtpKeys(THEIRS, OURS), clock);
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);
    private final SrtpSender caller = new SrtpSender(THEIRS);

    private static byte[] plain(int sequence) {
        return TestPackets.rtp(0, sequence, 160L * sequence, 0xCAFE, TestPackets.ulawTone(440, 8000, 0, 160));
    }

    private byte[] protectedByCaller(int sequence) {
        byte[] packet = Arrays.copyOf(plain(sequence), 200);
        int length = caller.protect(packet, 172, 12);
        return Arrays.copyOf(packet, length);
    }

    private byte[] readPlain() {
        DatagramPacket read = channel.readInbound();
        byte[] bytes = ByteBufUtil.getBytes(read.content());
        read.release();
        return bytes;
    }

    @Test
    void inboundSrtpReachesThePipelineAsTheCallersRtp() {
        channel.writeInbound(TestPackets.datagram(protectedByCaller(7), REMOTE, LOCAL));
        assertArrayEquals(plain(7), readPlain());
        assertFalse(channel.finish());
    }

    @Test
    void outboundRtpLeavesProtectedWithOurKey() {
        byte[] rtp = plain(3);
        channel.writeOutbound(new DatagramPacket(Unpooled.buffer(512).writeBytes(rtp), REMOTE));
        DatagramPacket sent = channel.readOutbound();
        byte[] wire = ByteBufUtil.getBytes(sent.content());
        sent.release();
        assertEquals(172 + 4, wire.length);
        assertArrayEquals(Arrays.copyOf(rtp, 12), Arrays.copyOf(wire, 12), "the header stays in the clear");
        byte[] packet = Arrays.copyOf(wire, 200);
        assertEquals(172, new SrtpReceiver(OURS).unprotect(packet, wire.length, 12));
        assertArrayEquals(rtp, Arrays.copyOf(packet, 172));
        assertFalse(channel.finish());
    }

    /** On a socket connected to the caller (ConnectedSource) a packet goes out as a lone buffer: protected too. */
    @Test
    void aPacketWithoutAnEnvelopeLeavesProtectedToo() {
        byte[] rtp = plain(4);
        channel.writeOutbound(Unpooled.buffer(512).writeBytes(rtp));
        ByteBuf sent = channel.readOutbound();
        byte[] wire = ByteBufUtil.getBytes(sent);
        sent.release();
        assertEquals(172 + 4, wire.length);
        byte[] packet = Arrays.copyOf(wire, 200);
        assertEquals(172, new SrtpReceiver(OURS).unprotect(packet, wire.length, 12));
        assertArrayEquals(rtp, Arrays.copyOf(packet, 172));
        assertFalse(channel.finish());
    }

    @Test
    void aReplayedPacketIsDroppedAndCounted() {
        byte[] packet = protectedByCaller(10);
        channel.writeInbound(TestPackets.datagram(packet.clone(), REMOTE, LOCAL));
        readPlain();
        channel.writeInbound(TestPackets.datagram(packet.clone(), REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(1, handler.replays);
        assertEquals(0, handler.authFailures);
        assertFalse(channel.finish());
    }

    @Test
    void aPacketTooFarBehindForTheReplayWindowIsDroppedAndCounted() {
        byte[] old = protectedByCaller(1);
        channel.writeInbound(TestPackets.datagram(protectedByCaller(100), REMOTE, LOCAL));
        readPlain();
        channel.writeInbound(TestPackets.datagram(old, REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(1, handler.replays);
        assertFalse(channel.finish());
    }

    @Test
    void aPacketWithABadTagOrAlteredPayloadIsDroppedAndCounted() {
        byte[] badTag = protectedByCaller(20);
        badTag[badTag.length - 1] ^= 1;
        byte[] altered = protectedByCaller(21);
        altered[40] ^= 0x10;
        channel.writeInbound(TestPackets.datagram(badTag, REMOTE, LOCAL));
        channel.writeInbound(TestPackets.datagram(altered, REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(2, handler.authFailures);
        // The genuine packets still pass afterwards: a forgery does not move the replay window.
        channel.writeInbound(TestPackets.datagram(protectedByCaller(20), REMOTE, LOCAL));
        assertArrayEquals(plain(20), readPlain());
        assertFalse(channel.finish());
    }

    @Test
    void plainRtpAndStrayDatagramsAreDroppedWhileSrtpIsOn() {
        channel.writeInbound(TestPackets.datagram(plain(5), REMOTE, LOCAL));
        channel.writeInbound(TestPackets.datagram(new byte[] {0, 1, 0, 0}, REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(1, handler.authFailures, "plain RTP has no valid tag");
        assertEquals(1, handler.invalid);
        assertFalse(channel.finish());
    }

    @Test
    void withoutKeysDatagramsPassUntouchedBothWays() {
        handler.update(null);
        channel.writeInbound(TestPackets.datagram(plain(5), REMOTE, LOCAL));
        assertArrayEquals(plain(5), readPlain());
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(plain(6)), REMOTE));
        DatagramPacket sent = channel.readOutbound();
        assertArrayEquals(plain(6), ByteBufUtil.getBytes(sent.content()));
        sent.release();
        assertFalse(channel.finish());
    }

    @Test
    void aStreamThatStartsPlainTakesSrtpWhenKeysComeLater() {
        SrtpHandler plainFirst = new SrtpHandler("test", null, clock);
        EmbeddedChannel plainChannel = new EmbeddedChannel(plainFirst);
        plainChannel.writeInbound(TestPackets.datagram(plain(4), REMOTE, LOCAL));
        DatagramPacket passed = plainChannel.readInbound();
        assertArrayEquals(plain(4), ByteBufUtil.getBytes(passed.content()));
        passed.release();

        plainFirst.update(new SrtpKeys(THEIRS, OURS));
        plainChannel.writeInbound(TestPackets.datagram(protectedByCaller(8), REMOTE, LOCAL));
        DatagramPacket opened = plainChannel.readInbound();
        assertArrayEquals(plain(8), ByteBufUtil.getBytes(opened.content()));
        opened.release();
        plainChannel.writeOutbound(new DatagramPacket(Unpooled.buffer(200).writeBytes(plain(9)), REMOTE));
        DatagramPacket sent = plainChannel.readOutbound();
        byte[] expected = Arrays.copyOf(plain(9), 200);
        int length = new SrtpSender(OURS).protect(expected, 172, 12);
        assertArrayEquals(Arrays.copyOf(expected, length), ByteBufUtil.getBytes(sent.content()));
        sent.release();
        assertFalse(plainChannel.finish());
    }

    @Test
    void theSameKeysAgainKeepTheReplayStateAndNewKeysStartAfresh() {
        byte[] packet = protectedByCaller(30);
        channel.writeInbound(TestPackets.datagram(packet.clone(), REMOTE, LOCAL));
        readPlain();
        handler.update(new SrtpKeys(key(SrtpSuite.AES_CM_128_HMAC_SHA1_80, 1), OURS)); // equal content
        channel.writeInbound(TestPackets.datagram(packet.clone(), REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(1, handler.replays);

        SrtpMasterKey rekeyed = key(SrtpSuite.AES_CM_128_HMAC_SHA1_80, 9);
        handler.update(new SrtpKeys(rekeyed, OURS));
        channel.writeInbound(TestPackets.datagram(packet.clone(), REMOTE, LOCAL));
        assertNull(channel.readInbound());
        assertEquals(1, handler.authFailures, "the old key no longer opens packets");
        byte[] fresh = Arrays.copyOf(plain(31), 200);
        int length = new SrtpSender(rekeyed).protect(fresh, 172, 12);
        channel.writeInbound(TestPackets.datagram(Arrays.copyOf(fresh, length), REMOTE, LOCAL));
        assertArrayEquals(plain(31), readPlain());
        assertFalse(channel.finish());
    }
}
