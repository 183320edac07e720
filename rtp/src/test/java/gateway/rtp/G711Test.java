package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class G711Test {

    private static final AudioFormat PCM16 =
            new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);

    private static AudioFormat companded(G711 codec) {
        return new AudioFormat(codec == G711.PCMU ? AudioFormat.Encoding.ULAW : AudioFormat.Encoding.ALAW,
                8000, 8, 1, 1, 8000, false);
    }

    /** Decodes all 256 codes with the JDK's own codec (java.desktop, com.sun.media.sound). */
    private static short[] jdkDecodeAll(G711 codec) throws IOException {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(codes), companded(codec), 256);
        AudioInputStream pcm = AudioSystem.getAudioInputStream(PCM16, in);
        assertJdkCodec(pcm);
        byte[] bytes = pcm.readAllBytes();
        assertEquals(512, bytes.length);
        short[] out = new short[256];
        for (int i = 0; i < 256; i++) {
            out[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
        }
        return out;
    }

    private static byte[] jdkEncode(G711 codec, short[] samples) throws IOException {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), PCM16, samples.length);
        AudioInputStream out = AudioSystem.getAudioInputStream(companded(codec), in);
        assertJdkCodec(out);
        return out.readAllBytes();
    }

    /** The reference must be the JDK's implementation, not something of ours found by service loading. */
    private static void assertJdkCodec(InputStream stream) {
        assertEquals("java.desktop", stream.getClass().getModule().getName(), stream.getClass().getName());
        assertNotEquals(G711.class.getModule(), stream.getClass().getModule());
    }

    @Test
    void decodesAllCodesLikeTheJdk() throws IOException {
        for (G711 codec : G711.values()) {
            short[] jdk = jdkDecodeAll(codec);
            for (int i = 0; i < 256; i++) {
                assertEquals(jdk[i], codec.decode((byte) i), codec + " code " + i);
            }
        }
    }

    @Test
    void decodesItuTableEndpoints() {
        // G.711 table 2a (μ-law, 16-bit scaled): 0x00 is the most negative, 0x80 the most positive, 0xFF/0x7F zero.
        assertEquals(-32124, G711.PCMU.decode((byte) 0x00));
        assertEquals(32124, G711.PCMU.decode((byte) 0x80));
        assertEquals(0, G711.PCMU.decode((byte) 0xFF));
        assertEquals(0, G711.PCMU.decode((byte) 0x7F));
        assertEquals(-8, G711.PCMU.decode((byte) 0x7E));
        // G.711 table 1a (A-law): 0xD5 smallest positive, 0x55 smallest negative, 0xAA/0x2A the extremes.
        assertEquals(8, G711.PCMA.decode((byte) 0xD5));
        assertEquals(-8, G711.PCMA.decode((byte) 0x55));
        assertEquals(32256, G711.PCMA.decode((byte) 0xAA));
        assertEquals(-32256, G711.PCMA.decode((byte) 0x2A));
    }

    @Test
    void silenceIsTheCodeForZeroInEachLaw() {
        assertEquals(0xFF, G711.PCMU.silence() & 0xFF, "μ-law +0 (table 2a)");
        assertEquals(0xD5, G711.PCMA.silence() & 0xFF, "A-law's smallest positive step (table 1a): it has no zero");
        for (G711 codec : G711.values()) {
            assertEquals(codec.encode((short) 0), codec.silence(), codec.name());
        }
    }

    @Test
    void encodeOfDecodeRoundTripsEveryCode() {
        for (G711 codec : G711.values()) {
            for (int i = 0; i < 256; i++) {
                int expected = codec == G711.PCMU && i == 0x7F ? 0xFF : i; // μ-law −0 encodes as +0
                assertEquals(expected, codec.encode(codec.decode((byte) i)) & 0xFF, codec + " code " + i);
            }
        }
    }

    @Test
    void encodesRepresentativeValuesLikeTheJdk() throws IOException {
        short[] values = {0, 1, 2, 7, 8, 15, 16, 31, 32, 100, 132, 255, 256, 1000, 4095, 4096, 8000, 12345,
                16384, 30000, 32124, 32635, -8, -9, -16, -17, -100, -1000, -4096, -12345, -30000, -32124, -32635};
        for (G711 codec : G711.values()) {
            byte[] jdk = jdkEncode(codec, values);
            for (int i = 0; i < values.length; i++) {
                short x = values[i];
                short ours = codec == G711.PCMA && x < 0 ? jdkALawNegativeEquivalent(x) : x;
                assertEquals(jdk[i], codec.encode(ours), codec + " value " + x);
            }
        }
    }

    /**
     * μ-law: every sample within range (|x| ≤ 32635) encodes exactly as the JDK does. Beyond it the JDK's encoder
     * overflows to a zero code (0xFF / 0x7F) where G.711 saturates at the extreme codes, which we check instead.
     */
    @Test
    void μLawEncodesEverySampleLikeTheJdkAndSaturatesOnOverload() throws IOException {
        short[] all = allSamples();
        byte[] jdk = jdkEncode(G711.PCMU, all);
        for (int i = 0; i < all.length; i++) {
            if (Math.abs(all[i]) <= 32635) {
                assertEquals(jdk[i], G711.PCMU.encode(all[i]), "value " + all[i]);
            }
        }
        assertEquals((byte) 0x80, G711.PCMU.encode(Short.MAX_VALUE));
        assertEquals((byte) 0x00, G711.PCMU.encode(Short.MIN_VALUE));
    }

    /**
     * A-law: positive samples encode exactly as the JDK does. For negative samples the JDK takes the magnitude as
     * −x − 8, the ITU-T G.191 reference (alaw_compress) as the one's complement ~x = −x − 1; so the JDK's code for
     * x is ours for x + 7, which we assert for every negative sample, and G.191 threshold values are pinned.
     */
    @Test
    void aLawEncodesEverySampleLikeTheJdkUpToItsNegativeOffset() throws IOException {
        short[] all = allSamples();
        byte[] jdk = jdkEncode(G711.PCMA, all);
        for (int i = 0; i < all.length; i++) {
            short x = all[i];
            if (x >= -7 && x <= -1) {
                // JDK: −x − 8 is negative here and lands on 0x5A (decodes to −248); G.191 gives 0x55 (−8).
                assertEquals((byte) 0x5A, jdk[i]);
                assertEquals((byte) 0x55, G711.PCMA.encode(x));
                continue;
            }
            short equivalent = x >= 0 ? x : jdkALawNegativeEquivalent(x);
            assertEquals(jdk[i], G711.PCMA.encode(equivalent), "value " + x);
        }
        // G.191: ~(−31745) >> 4 = 1984 → segment 7, step 15 → 0x7F ^ 0x55 = 0x2A; −31744 → 1983 → step 14 → 0x2B.
        assertEquals((byte) 0x2A, G711.PCMA.encode((short) -31745));
        assertEquals((byte) 0x2B, G711.PCMA.encode((short) -31744));
        assertEquals((byte) 0x55, G711.PCMA.encode((short) -1));
        assertEquals((byte) 0xAA, G711.PCMA.encode(Short.MAX_VALUE));
        assertEquals((byte) 0x2A, G711.PCMA.encode(Short.MIN_VALUE));
    }

    /** The sample whose G.191 A-law code equals the JDK's code for negative x (see above). */
    private static short jdkALawNegativeEquivalent(short x) {
        return (short) (x + 7);
    }

    private static short[] allSamples() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        return all;
    }

    @Test
    void encodeQuantisesToTheNearestLevelBelowTheDecisionThreshold() {
        // A value between two reconstruction levels decodes back within one step of itself.
        for (G711 codec : G711.values()) {
            for (int v = -32768; v <= 32767; v += 7) {
                int back = codec.decode(codec.encode((short) v));
                int step = Math.max(16, Math.abs(v) / 16 + 16);
                assertEquals(v, back, step * 2, codec + " value " + v);
            }
        }
    }

    @Test
    void payloadTypes() {
        assertSame(G711.PCMU, G711.forPayloadType(0));
        assertSame(G711.PCMA, G711.forPayloadType(8));
        assertNull(G711.forPayloadType(101));
        assertEquals("PCMU", G711.PCMU.encodingName());
        assertEquals(8, G711.PCMA.payloadType());
        assertEquals((byte) 0xFF, G711.PCMU.encode((short) 0));
        assertEquals((byte) 0xD5, G711.PCMA.encode((short) 0));
    }
}
