package gateway.bench;

import gateway.rtp.G711;
import gateway.testkit.Signals;

/** The benchmarks' input: a tone at speech level, so the codec and filters see realistic values. */
public final class SpeechLevelTone {

    /** Amplitude of the tone: about −12 dBFS, a loud talker. */
    public static final double AMPLITUDE = 8000;

    private SpeechLevelTone() {
    }

    /** {@code n} samples of the tone at {@code frequency} Hz, sampled at {@code rate} Hz. */
    public static short[] pcm(double frequency, int rate, int n) {
        return Signals.sine(frequency, rate, AMPLITUDE, n);
    }

    /** The G.711 code words of {@link #pcm} at 8 kHz. */
    public static byte[] g711(G711 codec, double frequency, int n) {
        short[] pcm = pcm(frequency, 8000, n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = codec.encode(pcm[i]);
        }
        return b;
    }
}
