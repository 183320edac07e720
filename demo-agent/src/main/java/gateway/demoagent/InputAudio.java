package gateway.demoagent;

/**
 * The session's input audio: the last {@link #RETAINED_SAMPLES} samples in a ring, positioned by the cumulative
 * count of samples appended since the session began (the Realtime input-audio clock).
 */
final class InputAudio {

    /** 20 s at 24 kHz (960 KB): longer utterances are echoed from their last 20 s; a demo needs no more. */
    static final int RETAINED_SAMPLES = 20 * 24_000;

    private short[] ring = new short[0];
    private long total;

    long totalSamples() {
        return total;
    }

    void append(short[] pcm, int offset, int length) {
        if (ring.length < RETAINED_SAMPLES && total + length > ring.length) {
            grow((int) Math.min(RETAINED_SAMPLES, Math.max(total + length, ring.length * 2L)));
        }
        for (int i = 0; i < length; i++) {
            ring[(int) ((total + i) % ring.length)] = pcm[offset + i];
        }
        total += length;
    }

    private void grow(int capacity) {
        short[] bigger = new short[capacity];
        for (long s = Math.max(0, total - ring.length); s < total; s++) {
            bigger[(int) (s % capacity)] = ring[(int) (s % ring.length)];
        }
        ring = bigger;
    }

    /** The samples in {@code [from, to)}, clipped to what is still retained. */
    short[] copy(long from, long to) {
        long start = Math.max(from, Math.max(0, total - ring.length));
        long end = Math.min(to, total);
        if (end <= start) {
            return new short[0];
        }
        short[] out = new short[(int) (end - start)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return out;
    }
}
