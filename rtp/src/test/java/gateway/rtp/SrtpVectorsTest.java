package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Our SRTP transform against published known answers. */
class SrtpVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 3711 Appendix B.3: the master key and salt of the key derivation vectors. */
    private static final SrtpMasterKey B3_MASTER = new SrtpMasterKey(SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), bytes("0EC675AD498AFEEBB6960B3AABE6"));

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void keyDerivationGivesTheSessionKeysOfRfc3711AppendixB3() throws Exception {
        assertArrayEquals(bytes("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpCipher.derive(B3_MASTER, SrtpCipher.LABEL_ENCRYPTION, 16));
        assertArrayEquals(bytes("30CBBC08863D8C85D49DB34A9AE1"),
                SrtpCipher.derive(B3_MASTER, SrtpCipher.LABEL_SALT, 14));
        assertArrayEquals(bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
                SrtpCipher.derive(B3_MASTER, SrtpCipher.LABEL_AUTHENTICATION, 20));
    }

    @Test
    void counterModeKeystreamIsThatOfRfc3711AppendixB2() {
        // Session key and salt given; SSRC 0, index 0: the keystream is the first blocks XORed onto zeros.
        SrtpCipher cipher = new SrtpCipher(10, bytes("2B7E151628AED2A6ABF7158809CF4F3C"),
                bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        byte[] data = new byte[48];
        cipher.crypt(data, 0, 48, 0, 0);
        assertArrayEquals(bytes("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0"), data);
    }

    /** libsrtp's reference packet (srtp_driver): the RFC 3711 B.3 master key, SSRC cafebabe, sequence 0x1234. */
    @Test
    void aWholePacketIsProtectedAndUnprotectedAsLibsrtpsReferencePacket() {
        byte[] plain = bytes("800f1234decafbadcafebabeabababababababababababababababab");
        byte[] expected = bytes("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        byte[] packet = Arrays.copyOf(plain, 64);
        int length = new SrtpSender(B3_MASTER).protect(packet, plain.length, 12);
        assertEquals(expected.length, length);
        assertArrayEquals(expected, Arrays.copyOf(packet, length));

        int rtp = new SrtpReceiver(B3_MASTER).unprotect(packet, length, 12);
        assertEquals(plain.length, rtp);
        assertArrayEquals(plain, Arrays.copyOf(packet, rtp));
    }

    @Test
    void theThirtyTwoBitSuiteCutsTheSameTagToFourBytes() {
        SrtpMasterKey short32 = new SrtpMasterKey(SrtpSuite.AES_CM_128_HMAC_SHA1_32, B3_MASTER.key(),
                B3_MASTER.salt());
        byte[] plain = bytes("800f1234decafbadcafebabeabababababababababababababababab");
        byte[] packet = Arrays.copyOf(plain, 64);
        int length = new SrtpSender(short32).protect(packet, plain.length, 12);
        assertEquals(plain.length + 4, length);
        assertArrayEquals(bytes("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc"),
                Arrays.copyOf(packet, length));
    }
}
