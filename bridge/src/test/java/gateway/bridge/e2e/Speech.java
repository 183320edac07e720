package gateway.bridge.e2e;

import gateway.testkit.Signals;
import java.io.IOException;
import java.io.InputStream;

/** The speech fixtures the callers send, decoded (and upsampled to the recording's rate) as references. */
final class Speech {

    /** The fixture's speech ends at 3.463 s (see audio/README.txt); the rest is digital silence. */
    static final long SPEECH_MS = 3_463;
    /** {@code speech_short.*}: "Hello. This is a test call." ends at 1.806 s; silence follows up to 5 s. */
    static final long SHORT_SPEECH_MS = 1_806;
    /** Every fixture is 5.000 s of 8 kHz G.711: 40 000 bytes. */
    static final long FILE_MS = 5_000;
    /** One RTP packet: 20 ms of 8 kHz G.711, 160 bytes. */
    static final int PACKET_BYTES = 160;

    private Speech() {
    }

    /** {@code audio/speech.ulaw} or {@code audio/speech.alaw} decoded with the JDK codec, 24 kHz, speech part only. */
    static short[] reference(String file) throws IOException {
        return reference(file, SPEECH_MS);
    }

    /** A fixture decoded with the JDK codec and upsampled to 24 kHz, its first {@code speechMs} only. */
    static short[] reference(String file, long speechMs) throws IOException {
        short[] pcm24k = Signals.resampleLinear(decoded8k(file), 8000, RecordedCall.SAMPLE_RATE);
        return Signals.head(pcm24k, RecordedCall.SAMPLE_RATE, speechMs);
    }

    /** {@code speech_short.ulaw} or {@code .alaw}, decoded, 24 kHz, speech part only. */
    static short[] shortReference(String file) throws IOException {
        return reference(file, SHORT_SPEECH_MS);
    }

    /** A fixture decoded at its own rate, 8 kHz, by the JDK's G.711 codec (A-law for {@code .alaw}). */
    static short[] decoded8k(String file) throws IOException {
        byte[] encoded = bytes(file);
        return file.endsWith(".alaw") ? Signals.decodeAlaw(encoded) : Signals.decodeUlaw(encoded);
    }

    /** The raw bytes of {@code audio/<file>}. */
    static byte[] bytes(String file) throws IOException {
        try (InputStream in = Speech.class.getClassLoader().getResourceAsStream("audio/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource audio/" + file);
            }
            return in.readAllBytes();
        }
    }
}
