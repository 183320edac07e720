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
 * SRTP per 20 ms G.711 packet (12-byte header, 160 payload bytes; RFC 3711 AES-CM and HMAC-SHA1), with our own
 * allocation-free cipher: {@link #protect} is what each packet we send costs, {@link #protectAndUnprotect} adds what
 * each packet we receive costs (index estimate, replay check, tag check, decryption), and {@link #copy} is the
 * baseline both include. Each operation moves the sequence number and timestamp on, as the next packet would. It
 * sits in the package of the package-private {@link SrtpSender} and {@link SrtpReceiver} so it measures exactly them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SrtpBenchmark {

    private static final int HEADER = 12;
    private static final int PAYLOAD = 160;
    private static final int SAMPLES_PER_PACKET = 160;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public SrtpSuite suite;

    private final byte[] template = new byte[HEADER + PAYLOAD];
    private final byte[] packet = new byte[SrtpCipher.MAX_PACKET_BYTES];
    private SrtpSender sender;
    private SrtpReceiver receiver;
    private int sequence;
    private long timestamp;

    @Setup
    public void setUp() {
        byte[] keyAndSalt = new byte[SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES];
        for (int i = 0; i < keyAndSalt.length; i++) {
            keyAndSalt[i] = (byte) (i * 7 + 3);
        }
        SrtpMasterKey key = SrtpMasterKey.of(suite, keyAndSalt);
        sender = new SrtpSender(key);
        receiver = new SrtpReceiver(key);
        template[0] = (byte) 0x80;
        template[8] = 0x12;
        template[9] = 0x34;
        template[10] = 0x56;
        template[11] = 0x78;
        for (int i = HEADER; i < template.length; i++) {
            template[i] = (byte) (0xFF - (i & 0x3F));
        }
    }

    /** The next packet in {@link #packet}: the template with the sequence number and timestamp moved on. */
    private void nextPacket() {
        System.arraycopy(template, 0, packet, 0, template.length);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += SAMPLES_PER_PACKET;
        packet[2] = (byte) (sequence >>> 8);
        packet[3] = (byte) sequence;
        packet[4] = (byte) (timestamp >>> 24);
        packet[5] = (byte) (timestamp >>> 16);
        packet[6] = (byte) (timestamp >>> 8);
        packet[7] = (byte) timestamp;
    }

    /** The baseline: building the next packet. */
    @Benchmark
    public byte copy() {
        nextPacket();
        return packet[3];
    }

    /** Encrypt and sign one packet we send. */
    @Benchmark
    public int protect() {
        nextPacket();
        return sender.protect(packet, template.length, HEADER);
    }

    /** Encrypt and sign, then check and decrypt, one packet: a packet sent plus a packet received. */
    @Benchmark
    public int protectAndUnprotect() {
        nextPacket();
        int length = sender.protect(packet, template.length, HEADER);
        int plain = receiver.unprotect(packet, length, HEADER);
        if (plain != template.length) {
            throw new IllegalStateException("unprotect failed: " + plain);
        }
        return plain;
    }
}
