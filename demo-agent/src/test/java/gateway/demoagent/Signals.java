package gateway.demoagent;

/** Test audio at 24 kHz. */
final class Signals {

    static final int RATE = 24_000;

    private Signals() {
    }

    static short[] silence(int ms) {
        return new short[ms * 24];
    }

    /** A sine starting at phase 0. */
    static short[] tone(int ms, double hz, double dbfs) {
        short[] pcm = new short[ms * 24];
        double amplitude = 32767 * Math.pow(10, dbfs / 20);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return pcm;
    }

    static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
