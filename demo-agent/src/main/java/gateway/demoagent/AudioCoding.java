package gateway.demoagent;

import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;

/**
 * One direction's audio format as the session names it (docs/realtime-protocol.md §2): {@code audio/pcm} is PCM16
 * LE at 24 kHz, {@code audio/pcmu} and {@code audio/pcma} G.711 at 8 kHz, one octet a sample. The agent thinks in
 * 24 kHz samples; G.711 is resampled on the way in and out, with filter history kept across calls so consecutive
 * pieces join without a seam.
 *
 * <p>Threading: one per direction of a session, used only on its event loop.
 */
final class AudioCoding {

    static final String PCM = "audio/pcm";
    static final String PCMU = "audio/pcmu";
    static final String PCMA = "audio/pcma";
    /** 24 kHz samples per G.711 octet. */
    static final int SAMPLES_PER_OCTET = 3;

    private final G711 law;
    private final Upsampler8kTo24k up = new Upsampler8kTo24k();
    private final Downsampler24kTo8k down = new Downsampler24kTo8k();

    /** The coding of a format type {@link SessionCheck} accepted. */
    AudioCoding(String type) {
        this.law = switch (type) {
            case PCMU -> G711.PCMU;
            case PCMA -> G711.PCMA;
            default -> null;
        };
    }

    /** The 24 kHz samples carried by {@code bytes} of this format. */
    short[] decode(byte[] bytes) {
        if (law == null) {
            short[] pcm = new short[bytes.length / 2];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) (bytes[2 * i] & 0xFF | bytes[2 * i + 1] << 8);
            }
            return pcm;
        }
        short[] narrow = new short[bytes.length];
        for (int i = 0; i < narrow.length; i++) {
            narrow[i] = law.decode(bytes[i]);
        }
        short[] pcm = new short[narrow.length * SAMPLES_PER_OCTET];
        up.process(narrow, 0, narrow.length, pcm, 0);
        return pcm;
    }

    /** {@code pcm[offset, offset+length)} at 24 kHz in this format; G.711 takes a multiple of 3 samples. */
    byte[] encode(short[] pcm, int offset, int length) {
        if (law == null) {
            byte[] bytes = new byte[length * 2];
            for (int i = 0; i < length; i++) {
                short s = pcm[offset + i];
                bytes[2 * i] = (byte) s;
                bytes[2 * i + 1] = (byte) (s >> 8);
            }
            return bytes;
        }
        short[] narrow = new short[length / SAMPLES_PER_OCTET];
        down.process(pcm, offset, narrow.length * SAMPLES_PER_OCTET, narrow, 0);
        byte[] codes = new byte[narrow.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = law.encode(narrow[i]);
        }
        return codes;
    }
}
