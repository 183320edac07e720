package gateway.rtp;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SRTP's cost per packet (RFC 3711): one 20 ms G.711 packet (12-byte header, 160 bytes of audio) protected as we send
 * it, and protected then unprotected as the receiving side checks it. A call protects 50 packets a second and
 * unprotects 50, so its cost per second is 50 × {@code protectAndUnprotect}. In package {@code gateway.rtp} because
 * the sender and receiver are package-private; the benchmark jar is on the class path, not a module.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {

    private static final int HEADER = 12;
    private static final int PAYLOAD = 160;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public SrtpSuite suite;

    private SrtpSender sender;
    private SrtpSender protectOnly;
    private SrtpReceiver receiver;
    private final byte[] packet = new byte[HEADER + PAYLOAD + 16];
    private final byte[] audio = new byte[PAYLOAD];
    private int sequence;

    @Setup
    public void setUp() {
        byte[] keyAndSalt = new byte[SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES];
        for (int i = 0; i < keyAndSalt.length; i++) {
            keyAndSalt[i] = (byte) (i * 37 + 11);
        }
        SrtpMasterKey key = SrtpMasterKey.of(suite, keyAndSalt);
        sender = new SrtpSender(key);
        protectOnly = new SrtpSender(key);
        receiver = new SrtpReceiver(key);
        for (int i = 0; i < PAYLOAD; i++) {
            audio[i] = (byte) (0xFF - (i & 0x3F));
        }
    }

    /** Writes the next packet of one stream (sequence numbers wrap, the SRTP index follows them). */
    private void nextPacket() {
        int seq = sequence++ & 0xFFFF;
        long timestamp = (long) sequence * PAYLOAD;
        packet[0] = (byte) 0x80;
        packet[1] = 0;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        packet[4] = (byte) (timestamp >>> 24);
        packet[5] = (byte) (timestamp >>> 16);
        packet[6] = (byte) (timestamp >>> 8);
        packet[7] = (byte) timestamp;
        packet[8] = 0x12;
        packet[9] = 0x34;
        packet[10] = 0x56;
        packet[11] = 0x78;
        System.arraycopy(audio, 0, packet, HEADER, PAYLOAD);
    }

    @Benchmark
    public int protect() {
        nextPacket();
        return protectOnly.protect(packet, HEADER + PAYLOAD, HEADER);
    }

    @Benchmark
    public int protectAndUnprotect() {
        nextPacket();
        int length = sender.protect(packet, HEADER + PAYLOAD, HEADER);
        int rtp = receiver.unprotect(packet, length, HEADER);
        if (rtp != HEADER + PAYLOAD) {
            throw new IllegalStateException("unprotect failed: " + rtp);
        }
        return rtp;
    }
}
