package gateway.bridge.call;

import gateway.realtime.AudioFormat;
import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;
import gateway.time.CallTimeline;

/**
 * The model's G.711 audio ({@code realtime.audio-format} pcmu or pcma) against the call's 24 kHz timeline: the
 * agent's codes decoded and taken up to 24 kHz for the playout queue and the recording, and 24 kHz caller audio
 * taken down and encoded when no caller octets exist for it (audio held over a reconnect). Works in chunks of
 * {@link #CHUNK} codes into reused arrays, so it allocates nothing; the filters keep their history between calls.
 *
 * <p>Call's loop only.
 */
final class ModelAudio {

    /** Codes per pass: 60 ms at 8 kHz. */
    static final int CHUNK = 480;

    private final G711 law;
    private final Upsampler8kTo24k up = new Upsampler8kTo24k();
    private final Downsampler24kTo8k down = new Downsampler24kTo8k();
    private final short[] narrow = new short[CHUNK];
    private final short[] wide = new short[CHUNK * CallTimeline.SAMPLES_PER_RTP_UNIT];
    private final byte[] codes = new byte[CHUNK];

    ModelAudio(G711 law) {
        this.law = law;
    }

    /** The G.711 law of a session format, or null for 24 kHz PCM. */
    static G711 law(AudioFormat format) {
        return switch (format) {
            case PCM24K -> null;
            case PCMU -> G711.PCMU;
            case PCMA -> G711.PCMA;
        };
    }

    G711 law() {
        return law;
    }

    /**
     * Decodes {@code codes[offset, offset + count)} (at most {@link #CHUNK}) and takes them to 24 kHz in
     * {@link #wide()}; returns the samples there (3 per code).
     */
    int toWide(byte[] in, int offset, int count) {
        for (int i = 0; i < count; i++) {
            narrow[i] = law.decode(in[offset + i]);
        }
        return up.process(narrow, 0, count, wide, 0);
    }

    /**
     * Takes {@code pcm24k[offset, offset + length)} (a multiple of 3, at most 3 × {@link #CHUNK}) to 8 kHz and
     * encodes it into {@link #codes()}; returns the codes there.
     */
    int toCodes(short[] pcm24k, int offset, int length) {
        int n = down.process(pcm24k, offset, length, narrow, 0);
        for (int i = 0; i < n; i++) {
            codes[i] = law.encode(narrow[i]);
        }
        return n;
    }

    short[] wide() {
        return wide;
    }

    byte[] codes() {
        return codes;
    }
}
