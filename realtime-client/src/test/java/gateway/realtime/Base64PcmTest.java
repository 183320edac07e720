package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Base64PcmTest {

    private static final short[] FIXTURE = {0, 1, -1, 32767, -32768, 256};
    private static final String FIXTURE_B64 = "AAABAP///38AgAAB";

    @Test
    void encodesPcm16LittleEndianLikeTheJdkEncoderForEveryPaddingCase() {
        assertEquals(FIXTURE_B64, encode(FIXTURE, 0, FIXTURE.length));
        assertEquals("6AMw+LgL", encode(new short[] {99, 1000, -2000, 3000}, 1, 3));
        for (int n = 0; n <= 7; n++) {
            short[] pcm = new short[n];
            for (int i = 0; i < n; i++) {
                pcm[i] = (short) (i * 7919 - 20000);
            }
            byte[] le = new byte[2 * n];
            for (int i = 0; i < n; i++) {
                le[2 * i] = (byte) pcm[i];
                le[2 * i + 1] = (byte) (pcm[i] >> 8);
            }
            String expected = Base64.getEncoder().encodeToString(le);
            assertEquals(expected, encode(pcm, 0, n), "samples: " + n);
            assertEquals(expected.length(), Base64Pcm.encodedLength(n));
        }
    }

    @Test
    void encodesAcrossChunksOfOneEncoderLikeTheJdkEncoder() {
        Base64Pcm.Encoder encoder = new Base64Pcm.Encoder();
        for (int n : new int[] {479, 480, 481, 482, 960, 1441}) {
            short[] pcm = new short[n + 1];
            byte[] le = new byte[2 * n];
            for (int i = 0; i < n; i++) {
                pcm[i + 1] = (short) (i * 7919 - 20000);
                le[2 * i] = (byte) pcm[i + 1];
                le[2 * i + 1] = (byte) (pcm[i + 1] >> 8);
            }
            ByteBuf buf = Unpooled.buffer(1);
            encoder.encode(pcm, 1, n, buf);
            assertEquals(Base64.getEncoder().encodeToString(le), buf.toString(StandardCharsets.US_ASCII), "n " + n);
            buf.release();
        }
        for (int n : new int[] {1, 2, 959, 960, 961, 962, 1921}) {
            byte[] codes = new byte[n + 2];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) (i * 37 + 11);
            }
            ByteBuf buf = Unpooled.buffer(1);
            encoder.encode(codes, 2, n, buf, 0);
            assertEquals(Base64.getEncoder().encodeToString(Arrays.copyOfRange(codes, 2, n + 2)),
                    buf.toString(StandardCharsets.US_ASCII), "codes " + n);
            buf.release();
        }
    }

    @Test
    void masksEveryFourCharactersOfWholeChunksAndOfTheRestAlike() {
        int mask = 0x9A3F0C71;
        Base64Pcm.Encoder encoder = new Base64Pcm.Encoder();
        for (int n : new int[] {3, 480, 961, 1440}) {
            short[] pcm = ramp(n);
            byte[] expected = Base64.getEncoder().encode(littleEndian(pcm));
            for (int i = 0; i < expected.length; i++) {
                expected[i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
            }
            ByteBuf buf = Unpooled.buffer(1);
            encoder.encode(pcm, 0, n, buf, mask);
            assertArrayEquals(expected, ByteBufUtil.getBytes(buf), "samples " + n);
            buf.release();
        }
    }

    @Test
    void decodesLongTextInWholeBlocksAndTheRestLikeTheJdkDecoder() {
        Base64Pcm.Decoder decoder = new Base64Pcm.Decoder();
        for (int n : new int[] {479, 480, 481, 482, 959, 960, 961, 2401}) {
            short[] pcm = ramp(n);
            byte[] text = Base64.getEncoder().encode(littleEndian(pcm));
            byte[] framed = new byte[text.length + 5];
            System.arraycopy(text, 0, framed, 3, text.length);
            assertEquals(n, decoder.decode(framed, 3, text.length), "samples " + n);
            assertArrayEquals(pcm, Arrays.copyOf(decoder.samples(), n), "samples " + n);
            byte[] octets = Base64.getDecoder().decode(text);
            assertEquals(octets.length, decoder.decodeOctets(framed, 3, text.length));
            assertArrayEquals(octets, Arrays.copyOf(decoder.octets(), octets.length));
        }
    }

    @Test
    void rejectsABlockWithAForeignCharacterOrPaddingInside() {
        Base64Pcm.Decoder decoder = new Base64Pcm.Decoder();
        byte[] text = Base64.getEncoder().encode(littleEndian(ramp(1440)));
        assertEquals(1440, decoder.decode(text, 0, text.length));
        for (int at : new int[] {0, 700, 1279, 1280, 2559, 3000}) {
            for (byte bad : new byte[] {'*', '\\', (byte) 0xE9, 0}) {
                byte[] broken = text.clone();
                broken[at] = bad;
                assertEquals(-1, decoder.decode(broken, 0, broken.length), "byte " + bad + " at " + at);
            }
        }
        byte[] padded = text.clone();
        padded[1278] = '=';
        padded[1279] = '=';
        assertEquals(-1, decoder.decode(padded, 0, padded.length), "padding that ends the first block");
    }

    @Test
    void decodesIntoAReusedArrayThatGrowsOnlyForLongerPayloads() {
        Base64Pcm.Decoder decoder = new Base64Pcm.Decoder();
        byte[] text = ascii("xx" + FIXTURE_B64 + "yy");
        assertEquals(6, decoder.decode(text, 2, FIXTURE_B64.length()));
        assertArrayEquals(FIXTURE, Arrays.copyOf(decoder.samples(), 6));
        short[] array = decoder.samples();
        assertEquals(3, decoder.decode(ascii("6AMw+LgL"), 0, 8));
        assertSame(array, decoder.samples());
        assertArrayEquals(new short[] {1000, -2000, 3000}, Arrays.copyOf(decoder.samples(), 3));
        String odd = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        assertEquals(1, decoder.decode(ascii(odd), 0, odd.length()));
        assertEquals(0x0201, decoder.samples()[0]);
    }

    @Test
    void rejectsTextThatIsNotBase64() {
        Base64Pcm.Decoder decoder = new Base64Pcm.Decoder();
        assertEquals(-1, decoder.decode(ascii("AAA*"), 0, 4));
        assertEquals(-1, decoder.decode(ascii("AAAAA"), 0, 5));
        assertEquals(-1, decoder.decode(ascii("A==="), 0, 4));
        assertEquals(-1, decoder.decode("AA\u00e9=".getBytes(StandardCharsets.ISO_8859_1), 0, 4), "a byte over 127");
        assertEquals(-1, decoder.decode(ascii("AA\u0000="), 0, 4));
    }

    private static short[] ramp(int n) {
        short[] pcm = new short[n];
        for (int i = 0; i < n; i++) {
            pcm[i] = (short) (i * 7919 - 20000);
        }
        return pcm;
    }

    private static byte[] littleEndian(short[] pcm) {
        byte[] le = new byte[2 * pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            le[2 * i] = (byte) pcm[i];
            le[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return le;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String encode(short[] pcm, int offset, int length) {
        ByteBuf buf = Unpooled.buffer(1);
        try {
            buf.writeByte('>');
            new Base64Pcm.Encoder().encode(pcm, offset, length, buf);
            String s = buf.toString(StandardCharsets.US_ASCII);
            assertEquals('>', s.charAt(0));
            return s.substring(1);
        } finally {
            buf.release();
        }
    }
}
