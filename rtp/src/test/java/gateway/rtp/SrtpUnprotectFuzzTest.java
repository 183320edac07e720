package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Datagrams into {@link SrtpHandler} (RFC 3711 §3.3) through a channel: random bytes, or a packet the caller
 * protected with one or more of its bits flipped. Nothing escapes the handler and every datagram is released or
 * passed on; a flipped packet never reaches the pipeline as RTP: it is dropped and counted once (a bad tag, a replay
 * or not SRTP), unless the flip made it multiplexed RTCP (RFC 5761), which goes on untouched to the RTCP side.
 *
 * <p>Input: byte 0 bit 0 picks the mode (0: the rest is the datagram; 1: a protected packet, bytes 1-2 its sequence
 * number, then pairs of bytes each naming a bit to flip, at least one).
 */
class SrtpUnprotectFuzzTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10_000);
    private static final SrtpMasterKey THEIRS = key(1);
    private static final SrtpMasterKey OURS = key(2);

    private static SrtpMasterKey key(int seed) {
        byte[] keyAndSalt = new byte[30];
        for (int i = 0; i < keyAndSalt.length; i++) {
            keyAndSalt[i] = (byte) (seed * 31 + i);
        }
        return SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80, keyAndSalt);
    }

    private static byte[] flipped(byte[] input) {
        int sequence = input.length >= 3 ? (input[1] & 0xFF) << 8 | input[2] & 0xFF : 1;
        byte[] plain = TestPackets.rtp(0, sequence, 160L * sequence, 0xCAFE, TestPackets.ulawTone(440, 8000, 0, 160));
        byte[] packet = Arrays.copyOf(plain, 200);
        int length = new SrtpSender(THEIRS).protect(packet, plain.length, 12);
        return TestPackets.flipped(Arrays.copyOf(packet, length), input, 3);
    }

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aForgedOrFlippedPacketIsDroppedAndCountedNeverPassedOn(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean flip = (input[0] & 1) != 0;
        byte[] datagram = flip ? flipped(input) : Arrays.copyOfRange(input, 1, input.length);
        SrtpHandler handler = new SrtpHandler("fuzz", new SrtpKeys(THEIRS, OURS), new ManualScheduler(0));
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        ByteBuf content = Unpooled.buffer(datagram.length).writeBytes(datagram);
        try (LogCapture log = LogCapture.of(SrtpHandler.class)) {
            channel.writeInbound(new DatagramPacket(content, LOCAL, REMOTE));
            channel.checkException();
            DatagramPacket out = channel.readInbound();
            long dropped = handler.authFailures + handler.replays + handler.invalid;
            if (out == null) {
                assertEquals(1, dropped, "a dropped datagram is counted once");
                assertEquals(0, content.refCnt(), "and released");
            } else {
                byte[] passed = ByteBufUtil.getBytes(out.content());
                out.release();
                assertEquals(0, dropped);
                assertTrue(RtcpPacket.isMultiplexedRtcp(Unpooled.wrappedBuffer(datagram), 0, datagram.length),
                        "only multiplexed RTCP passes a handler that cannot authenticate it");
                assertArrayEquals(datagram, passed, "RTCP goes on untouched");
            }
            FuzzInvariants.nothingThrown(log);
            assertFalse(channel.finishAndReleaseAll(), "nothing left in the channel");
        }
    }
}
