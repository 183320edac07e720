package gateway.bridge.e2e;

import gateway.testkit.Signals;
import java.io.IOException;
import java.io.InputStream;

/** The speech fixture the SIPp callers send, decoded and upsampled to the recording's rate as a reference. */
final class Speech {

    /** The fixture's speech ends at 3.463 s (see audio/README.txt); the rest is digital silence. */
    static final long SPEECH_MS = 3_463;

    private Speech() {
    }

    /** {@code audio/speech.ulaw} or {@code audio/speech.alaw} decoded with the JDK codec, 24 kHz, speech part only. */
    static short[] reference(String file) throws IOException {
        byte[] encoded;
        try (InputStream in = Speech.class.getClassLoader().getResourceAsStream("audio/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource audio/" + file);
            }
            encoded = in.readAllBytes();
        }
        short[] pcm8k = file.endsWith(".alaw") ? Signals.decodeAlaw(encoded) : Signals.decodeUlaw(encoded);
        short[] pcm24k = Signals.resampleLinear(pcm8k, 8000, RecordedCall.SAMPLE_RATE);
        return Signals.head(pcm24k, RecordedCall.SAMPLE_RATE, SPEECH_MS);
    }
}
