package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our SRTP against an independent implementation, jitsi-srtp: each side unprotects what the other protected, packet
 * by packet, across a rollover of the sequence number (the ROC goes from 0 to 1).
 */
class SrtpInteropTest {

    private static final int SSRC = 0x5eed1234;
    private static final int FIRST_SEQUENCE = 65_500;
    private static final int PACKETS = 100;

    @BeforeAll
    static void pickJdkAes() {
        // jitsi-srtp otherwise benchmarks every AES provider it knows before its first context.
        Aes.setFactoryClassName(Aes.class.getName() + "$SunJCECipherFactory");
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void oursAndJitsisUnprotectWhatTheOtherProtected(SrtpSuite suite) throws Exception {
        byte[] keyAndSalt = randomKeyAndSalt();
        SrtpMasterKey master = SrtpMasterKey.of(suite, keyAndSalt);
        SrtpCryptoContext theirSender = jitsi(true, suite, keyAndSalt).deriveContext(SSRC, 0);
        SrtpCryptoContext theirReceiver = jitsi(false, suite, keyAndSalt).deriveContext(SSRC, 0);
        SrtpSender ourSender = new SrtpSender(master);
        SrtpReceiver ourReceiver = new SrtpReceiver(master);

        for (int i = 0; i < PACKETS; i++) {
            int sequence = (FIRST_SEQUENCE + i) & 0xFFFF;
            byte[] plain = TestPackets.rtp(0, sequence, 160L * i, SSRC & 0xFFFFFFFFL,
                    TestPackets.ulawTone(440, 8000, 160 * i, 160));

            Packet ours = new Packet(plain);
            ours.length = ourSender.protect(ours.bytes, plain.length, 12);
            assertEquals(SrtpErrorStatus.OK, theirReceiver.reverseTransformPacket(ours, false), "packet " + i);
            assertArrayEquals(plain, ours.content(), "ours → jitsi, packet " + i);

            Packet theirs = new Packet(plain);
            assertEquals(SrtpErrorStatus.OK, theirSender.transformPacket(theirs));
            assertEquals(plain.length + suite.tagBytes(), theirs.length);
            int rtp = ourReceiver.unprotect(theirs.bytes, theirs.length, 12);
            assertEquals(plain.length, rtp, "jitsi → ours, packet " + i);
            assertArrayEquals(plain, Arrays.copyOf(theirs.bytes, rtp));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void oursAndJitsisUnprotectWhatTheOtherProtectedAsSrtcp(SrtpSuite suite) throws Exception {
        byte[] keyAndSalt = randomKeyAndSalt();
        SrtpMasterKey master = SrtpMasterKey.of(suite, keyAndSalt);
        SrtcpCryptoContext theirSender = jitsi(true, suite, keyAndSalt).deriveControlContext(SSRC);
        SrtcpCryptoContext theirReceiver = jitsi(false, suite, keyAndSalt).deriveControlContext(SSRC);
        SrtcpSender ourSender = new SrtcpSender(master);
        SrtcpReceiver ourReceiver = new SrtcpReceiver(master);

        Packet last = null;
        for (int i = 0; i < PACKETS; i++) {
            byte[] plain = RtcpPacketTest.SENDER_REPORT_AND_SDES.clone();
            plain[8] = (byte) i;                                         // the NTP time moves on
            plain[4] = (byte) (SSRC >>> 24);
            plain[5] = (byte) (SSRC >>> 16);
            plain[6] = (byte) (SSRC >>> 8);
            plain[7] = (byte) SSRC;

            Packet ours = new Packet(plain);
            ours.length = ourSender.protect(ours.bytes, plain.length);
            assertEquals(plain.length + 4 + 10, ours.length, "E and index, then an 80-bit tag");
            assertEquals(SrtpErrorStatus.OK, theirReceiver.reverseTransformPacket(ours), "packet " + i);
            assertArrayEquals(plain, ours.content(), "ours → jitsi, packet " + i);

            Packet theirs = new Packet(plain);
            assertEquals(SrtpErrorStatus.OK, theirSender.transformPacket(theirs));
            last = new Packet(theirs.content());
            int rtcp = ourReceiver.unprotect(theirs.bytes, theirs.length);
            assertEquals(plain.length, rtcp, "jitsi → ours, packet " + i);
            assertArrayEquals(plain, Arrays.copyOf(theirs.bytes, rtcp));
        }
        Packet replay = new Packet(last.content());
        assertEquals(SrtpReceiver.REPLAYED, ourReceiver.unprotect(replay.bytes, replay.length));
        Packet forged = new Packet(last.content());
        forged.bytes[forged.length - 11] ^= (byte) 0x80;                // a later SRTCP index: no replay, a bad tag
        assertEquals(SrtpReceiver.AUTH_FAILED, ourReceiver.unprotect(forged.bytes, forged.length));
    }

    private static byte[] randomKeyAndSalt() {
        byte[] keyAndSalt = new byte[30];
        new SecureRandom().nextBytes(keyAndSalt);
        return keyAndSalt;
    }

    /** jitsi-srtp's contexts for {@code suite}: SRTP's tag as the suite says, SRTCP's 80 bits (RFC 4568 §6.2.1). */
    private static SrtpContextFactory jitsi(boolean sender, SrtpSuite suite, byte[] keyAndSalt) {
        SrtpPolicy srtp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                suite.tagBytes(), 14);
        SrtpPolicy srtcp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20,
                SrtpCipher.SRTCP_TAG_BYTES, 14);
        return new SrtpContextFactory(sender, Arrays.copyOf(keyAndSalt, 16), Arrays.copyOfRange(keyAndSalt, 16, 30),
                srtp, srtcp, new QuietLogger());
    }

    /** A packet in a byte array with room for the tag, as jitsi-srtp sees it. */
    private static final class Packet implements ByteArrayBuffer {
        final byte[] bytes = new byte[256];
        int length;

        Packet(byte[] content) {
            System.arraycopy(content, 0, bytes, 0, content.length);
            length = content.length;
        }

        byte[] content() {
            return Arrays.copyOf(bytes, length);
        }

        @Override public byte[] getBuffer() {
            return bytes;
        }

        @Override public int getOffset() {
            return 0;
        }

        @Override public int getLength() {
            return length;
        }

        @Override public void setLength(int newLength) {
            length = newLength;
        }

        @Override public void setOffset(int offset) {
            throw new UnsupportedOperationException();
        }

        @Override public boolean isInvalid() {
            return false;
        }

        @Override public void readRegionToBuff(int offset, int len, byte[] out) {
            System.arraycopy(bytes, offset, out, 0, len);
        }

        @Override public void grow(int howMuch) {
            if (length + howMuch > bytes.length) {
                throw new IllegalStateException("no room");
            }
        }

        @Override public void append(byte[] data, int len) {
            System.arraycopy(data, 0, bytes, length, len);
            length += len;
        }

        @Override public void shrink(int len) {
            length -= len;
        }
    }

    /** jitsi-srtp logs through this; the test has nothing to log. */
    private static final class QuietLogger implements Logger {
        @Override public Logger createChildLogger(String name, Map<String, String> context) {
            return this;
        }

        @Override public Logger createChildLogger(String name) {
            return this;
        }

        @Override public void setUseParentHandlers(boolean useParentHandlers) { }

        @Override public void addHandler(Handler handler) { }

        @Override public void removeHandler(Handler handler) { }

        @Override public boolean isTraceEnabled() {
            return false;
        }

        @Override public void trace(Object msg) { }

        @Override public void trace(Supplier<String> msgSupplier) { }

        @Override public boolean isDebugEnabled() {
            return false;
        }

        @Override public void debug(Object msg) { }

        @Override public void debug(Supplier<String> msgSupplier) { }

        @Override public boolean isInfoEnabled() {
            return false;
        }

        @Override public void info(Object msg) { }

        @Override public void info(Supplier<String> msgSupplier) { }

        @Override public boolean isWarnEnabled() {
            return false;
        }

        @Override public void warn(Object msg) { }

        @Override public void warn(Supplier<String> msgSupplier) { }

        @Override public void warn(Object msg, Throwable t) { }

        @Override public void error(Object msg) { }

        @Override public void error(Supplier<String> msgSupplier) { }

        @Override public void error(Object msg, Throwable t) { }

        @Override public void setLevelError() { }

        @Override public void setLevelWarn() { }

        @Override public void setLevelInfo() { }

        @Override public void setLevelDebug() { }

        @Override public void setLevelTrace() { }

        @Override public void setLevelAll() { }

        @Override public void setLevelOff() { }

        @Override public void setLevel(Level level) { }

        @Override public Level getLevel() {
            return Level.OFF;
        }

        @Override public void addContext(Map<String, String> addedContext) { }

        @Override public void addContext(String key, String value) { }
    }
}
