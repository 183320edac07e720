package gateway.rtp;

/**
 * Unprotects the SRTP packets of one remote (RFC 3711 §3.3): replay check, tag check, then decryption, each stream
 * (SSRC) with its own index. A new SSRC takes one of {@link #STREAMS} slots only once a packet of it is authentic, the
 * least recently used one when all are taken, so forged packets cannot fill the table. Event loop only; allocates
 * nothing.
 */
final class SrtpReceiver {

    /** Streams tracked at once: the caller's, and what an SBC failover or a re-INVITE may switch to. */
    static final int STREAMS = 4;
    /** {@link #unprotect} outcomes below zero. */
    static final int INVALID = -1;
    static final int AUTH_FAILED = -2;
    static final int REPLAYED = -3;

    private final SrtpCipher cipher;
    private final long[] ssrcs = new long[STREAMS];
    private final SrtpIndex[] streams = new SrtpIndex[STREAMS];
    private final long[] lastUse = new long[STREAMS];
    /** The state a packet of an unknown SSRC is checked with; it joins the table once authentic. */
    private SrtpIndex fresh = new SrtpIndex();
    private long uses;

    SrtpReceiver(SrtpMasterKey key) {
        this.cipher = SrtpCipher.of(key);
        for (int i = 0; i < STREAMS; i++) {
            ssrcs[i] = -1;
            streams[i] = new SrtpIndex();
        }
    }

    /**
     * Turns the SRTP packet in {@code packet[0, length)} into RTP in place; returns the RTP length, or
     * {@link #INVALID} (not RTP, or shorter than a header and tag), {@link #AUTH_FAILED} or {@link #REPLAYED}.
     * {@code headerLength} is the RTP header's length (fixed part, CSRCs, extension), already checked to fit.
     */
    int unprotect(byte[] packet, int length, int headerLength) {
        int authenticated = length - cipher.tagBytes();
        if (authenticated < headerLength) {
            return INVALID;
        }
        long ssrc = (packet[8] & 0xFFL) << 24 | (packet[9] & 0xFF) << 16 | (packet[10] & 0xFF) << 8
                | packet[11] & 0xFF;
        int sequence = (packet[2] & 0xFF) << 8 | packet[3] & 0xFF;
        int slot = slotOf(ssrc);
        SrtpIndex stream = slot >= 0 ? streams[slot] : fresh;
        long index = stream.estimate(sequence);
        if (stream.replayed(index)) {
            return REPLAYED;
        }
        if (!cipher.verify(packet, authenticated, SrtpIndex.rolloverCounter(index))) {
            return AUTH_FAILED;
        }
        if (slot < 0) {
            slot = leastRecentlyUsed();
            SrtpIndex evicted = streams[slot];
            ssrcs[slot] = ssrc;
            streams[slot] = stream;
            evicted.reset();
            fresh = evicted;
        }
        stream.accept(index);
        lastUse[slot] = ++uses;
        cipher.crypt(packet, headerLength, authenticated, ssrc, index);
        return authenticated;
    }

    private int slotOf(long ssrc) {
        for (int i = 0; i < STREAMS; i++) {
            if (ssrcs[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }

    private int leastRecentlyUsed() {
        int oldest = 0;
        for (int i = 1; i < STREAMS; i++) {
            if (lastUse[i] < lastUse[oldest]) {
                oldest = i;
            }
        }
        return oldest;
    }
}
