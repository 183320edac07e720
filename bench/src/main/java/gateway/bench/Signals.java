package gateway.bench;

import gateway.rtp.G711;

/** Test signals for the benchmarks: a speech-level tone, so the codec and filters see realistic values. */
public final class Signals {

    /** Amplitude of the benchmark tone: about −12 dBFS, a loud talker. */
    public static final double AMPLITUDE = 8000;

    private Signals() {
    }

    /** {@code n} samples of a sine of {@code frequency} Hz at {@code rate} Hz. */
    public static short[] sine(double frequency, int rate, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return s;
    }

    /** The G.711 code words of {@link #sine} at 8 kHz. */
    public static byte[] encoded(G711 codec, double frequency, int n) {
        short[] pcm = sine(frequency, 8000, n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = codec.encode(pcm[i]);
        }
        return b;
    }
}
