package gateway.rtp;

/**
 * Protects the RTCP compound packets we send (RFC 3711 §3.4): everything after the first header and its SSRC is
 * encrypted with SRTCP's own session keys, the E flag and a 31-bit SRTCP index (counting from 0 per SSRC) follow it,
 * and the 80-bit tag covers both. Event loop only; allocates nothing.
 */
final class SrtcpSender {

    /** The first RTCP header and the sender's SSRC: in the clear (§3.4). */
    static final int CLEAR_BYTES = 8;
    /** E flag and SRTCP index (§3.4). */
    static final int INDEX_BYTES = 4;
    /** The SRTCP index is 31 bits (§3.4); at one report in 5 s a call never reaches its end. */
    static final long INDEX_MASK = 0x7FFF_FFFFL;
    /** E: the packet is encrypted (§3.4). */
    static final long ENCRYPTED = 0x8000_0000L;

    private final SrtpCipher cipher;
    private long ssrc = -1;
    private long nextIndex;

    SrtcpSender(SrtpMasterKey key) {
        this.cipher = SrtpCipher.srtcp(key);
    }

    /** Bytes a packet grows by. */
    int overhead() {
        return INDEX_BYTES + cipher.tagBytes();
    }

    /**
     * Turns the RTCP compound packet in {@code packet[0, length)} into SRTCP in place and returns its new length;
     * {@code packet} must have {@link #overhead()} bytes of room after it.
     */
    int protect(byte[] packet, int length) {
        long packetSsrc = ssrc(packet);
        if (packetSsrc != ssrc) {
            ssrc = packetSsrc;
            nextIndex = 0;
        }
        long index = nextIndex;
        nextIndex = (nextIndex + 1) & INDEX_MASK;
        cipher.crypt(packet, CLEAR_BYTES, length, packetSsrc, index);
        writeWord(packet, length, ENCRYPTED | index);
        cipher.signRtcp(packet, length + INDEX_BYTES);
        return length + INDEX_BYTES + cipher.tagBytes();
    }

    /** The SSRC of the first packet of a compound (RFC 3550 §6.4.1: bytes 4-7). */
    static long ssrc(byte[] packet) {
        return word(packet, 4);
    }

    static long word(byte[] packet, int at) {
        return (packet[at] & 0xFFL) << 24 | (packet[at + 1] & 0xFF) << 16 | (packet[at + 2] & 0xFF) << 8
                | packet[at + 3] & 0xFF;
    }

    private static void writeWord(byte[] packet, int at, long value) {
        packet[at] = (byte) (value >>> 24);
        packet[at + 1] = (byte) (value >>> 16);
        packet[at + 2] = (byte) (value >>> 8);
        packet[at + 3] = (byte) value;
    }
}
