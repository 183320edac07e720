package gateway.rtp;

/**
 * Protects the RTP packets we send (RFC 3711 §3.3): encryption, then the tag, the index of each packet following its
 * sequence number across wraps (one stream state, reset when the SSRC changes). Event loop only; allocates nothing.
 */
final class SrtpSender {

    private final SrtpCipher cipher;
    private final SrtpIndex index = new SrtpIndex();
    private long ssrc = -1;

    SrtpSender(SrtpMasterKey key) {
        this.cipher = SrtpCipher.of(key);
    }

    /** Bytes a packet grows by. */
    int overhead() {
        return cipher.tagBytes();
    }

    /**
     * Turns the RTP packet in {@code packet[0, length)} (header of {@code headerLength} bytes) into SRTP in place and
     * returns its new length; {@code packet} must have {@link #overhead()} bytes of room after it.
     */
    int protect(byte[] packet, int length, int headerLength) {
        long packetSsrc = (packet[8] & 0xFFL) << 24 | (packet[9] & 0xFF) << 16 | (packet[10] & 0xFF) << 8
                | packet[11] & 0xFF;
        if (packetSsrc != ssrc) {
            ssrc = packetSsrc;
            index.reset();
        }
        long i = index.estimate((packet[2] & 0xFF) << 8 | packet[3] & 0xFF);
        index.accept(i);
        cipher.crypt(packet, headerLength, length, packetSsrc, i);
        cipher.sign(packet, length, SrtpIndex.rolloverCounter(i));
        return length + cipher.tagBytes();
    }
}
