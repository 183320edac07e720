package gateway.bridge.call;

import gateway.time.CallTimeline;

/**
 * The caller audio last sent to the call's Realtime sessions, in the form it was sent (24 kHz samples, or G.711
 * codes for a session in pcmu or pcma), so that what a session that failed may not have taken into a turn can be
 * given to the next one as it was ({@link RealtimeLegs}, README "Failure behaviour"). A preallocated ring on one
 * call-wide count of input samples sent (a code counts 3); a session knows where on that count its own input began.
 * Call's loop only; {@link #add} and {@link #addCodes} run per packet and allocate nothing.
 */
final class SentAudio {

    /** A stretch of sent audio at its recording position: samples, or (for a G.711 session) codes. */
    record Stretch(long position, short[] pcm, byte[] codes) {
    }

    private final short[] pcm;
    private final byte[] codes;
    private final int capacity;
    private long written;

    /** Keeps the last {@code capacitySamples} samples sent (0 keeps none), as codes when {@code asCodes}. */
    SentAudio(int capacitySamples, boolean asCodes) {
        if (capacitySamples < 0) {
            throw new IllegalArgumentException("capacity " + capacitySamples);
        }
        int units = capacitySamples / CallTimeline.SAMPLES_PER_RTP_UNIT;
        capacity = asCodes ? units * CallTimeline.SAMPLES_PER_RTP_UNIT : capacitySamples;
        pcm = new short[asCodes ? 0 : capacity];
        codes = new byte[asCodes ? units : 0];
    }

    /** Notes {@code length} samples of {@code sent} from {@code offset}, just sent to the live session. */
    void add(short[] sent, int offset, int length) {
        if (pcm.length > 0) {
            int skip = Math.max(0, length - pcm.length);
            int at = (int) ((written + skip) % pcm.length);
            int first = Math.min(length - skip, pcm.length - at);
            System.arraycopy(sent, offset + skip, pcm, at, first);
            System.arraycopy(sent, offset + skip + first, pcm, 0, length - skip - first);
        }
        written += length;
    }

    /** Notes {@code count} G.711 codes of {@code sent} from {@code offset}, just sent to the live session. */
    void addCodes(byte[] sent, int offset, int count) {
        if (codes.length > 0) {
            int skip = Math.max(0, count - codes.length);
            int at = (int) ((written / CallTimeline.SAMPLES_PER_RTP_UNIT + skip) % codes.length);
            int first = Math.min(count - skip, codes.length - at);
            System.arraycopy(sent, offset + skip, codes, at, first);
            System.arraycopy(sent, offset + skip + first, codes, 0, count - skip - first);
        }
        written += (long) count * CallTimeline.SAMPLES_PER_RTP_UNIT;
    }

    /** Samples sent so far, on the call-wide count. */
    long written() {
        return written;
    }

    /** The earliest sample still kept, on the call-wide count. */
    long oldestKept() {
        return Math.max(0, written - capacity);
    }

    /**
     * A copy of {@code length} kept samples from sample {@code from} of the call-wide count (for codes, both whole
     * codes), to be placed at recording {@code position}.
     */
    Stretch copy(long from, int length, long position) {
        if (from < oldestKept() || from + length > written) {
            throw new IllegalArgumentException("samples " + from + "+" + length + " are not kept: " + oldestKept()
                    + "-" + written);
        }
        if (codes.length == 0) {
            short[] out = new short[length];
            copyOut(pcm, pcm.length, from, out, length);
            return new Stretch(position, out, null);
        }
        int unit = CallTimeline.SAMPLES_PER_RTP_UNIT;
        byte[] out = new byte[length / unit];
        copyOut(codes, codes.length, from / unit, out, out.length);
        return new Stretch(position, null, out);
    }

    /** Copies {@code length} entries from entry {@code from} (counted since the first) of a ring of {@code size}. */
    private static void copyOut(Object ring, int size, long from, Object out, int length) {
        for (int done = 0; done < length; ) {
            int at = (int) ((from + done) % size);
            int n = Math.min(length - done, size - at);
            System.arraycopy(ring, at, out, done, n);
            done += n;
        }
    }
}
