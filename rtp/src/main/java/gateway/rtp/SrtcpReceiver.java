package gateway.rtp;

/**
 * Unprotects the caller's SRTCP packets (RFC 3711 §3.4): replay check on the SRTCP index (a 64-packet window, §3.3.2),
 * tag check, then decryption when the E flag says the packet is encrypted. The window follows one SSRC, the one of
 * the last authentic packet (the caller's RTCP comes from one source). Event loop only; allocates nothing.
 */
final class SrtcpReceiver {

    /** Indexes remembered behind the highest one (RFC 3711 §3.3.2: at least 64). */
    static final int WINDOW = 64;

    private final SrtpCipher cipher;
    private long ssrc = -1;
    private long highest = -1;
    /** Bit d set: index {@code highest - d} was received. */
    private long seen;

    SrtcpReceiver(SrtpMasterKey key) {
        this.cipher = SrtpCipher.srtcp(key);
    }

    /**
     * Turns the SRTCP packet in {@code packet[0, length)} into RTCP in place; returns the RTCP length, or
     * {@link SrtpReceiver#INVALID} (shorter than a header, index and tag), {@link SrtpReceiver#AUTH_FAILED} or
     * {@link SrtpReceiver#REPLAYED}.
     */
    int unprotect(byte[] packet, int length) {
        int authenticated = length - cipher.tagBytes();
        int rtcpLength = authenticated - SrtcpSender.INDEX_BYTES;
        if (rtcpLength < SrtcpSender.CLEAR_BYTES) {
            return SrtpReceiver.INVALID;
        }
        long word = SrtcpSender.word(packet, rtcpLength);
        long index = word & SrtcpSender.INDEX_MASK;
        long packetSsrc = SrtcpSender.ssrc(packet);
        boolean known = packetSsrc == ssrc;
        if (known && replayed(index)) {
            return SrtpReceiver.REPLAYED;
        }
        if (!cipher.verifyRtcp(packet, authenticated)) {
            return SrtpReceiver.AUTH_FAILED;
        }
        if (!known) {
            ssrc = packetSsrc;
            highest = -1;
            seen = 0;
        }
        accept(index);
        if ((word & SrtcpSender.ENCRYPTED) != 0) {
            cipher.crypt(packet, SrtcpSender.CLEAR_BYTES, rtcpLength, packetSsrc, index);
        }
        return rtcpLength;
    }

    private boolean replayed(long index) {
        if (highest < 0 || index > highest) {
            return false;
        }
        long behind = highest - index;
        return behind >= WINDOW || (seen >>> behind & 1) != 0;
    }

    private void accept(long index) {
        if (highest < 0) {
            highest = index;
            seen = 1;
        } else if (index > highest) {
            long ahead = index - highest;
            seen = ahead >= WINDOW ? 1 : seen << ahead | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }
}
