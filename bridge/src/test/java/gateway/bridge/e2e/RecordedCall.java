package gateway.bridge.e2e;

import gateway.testkit.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One finished call directory: call.json, audio.wav (left = caller, right = assistant) and the captions.
 *
 * @param dir the call directory
 */
record RecordedCall(Path dir, CallJson json, WavReader.Wav wav, String vtt, String srt) {

    static final int SAMPLE_RATE = 24_000;
    static final int CALLER = 0;
    static final int ASSISTANT = 1;

    static RecordedCall load(Path dir) throws IOException {
        return new RecordedCall(dir, CallJson.read(dir.resolve("call.json")), WavReader.read(dir.resolve("audio.wav")),
                Files.readString(dir.resolve("captions.vtt")), Files.readString(dir.resolve("captions.srt")));
    }

    /** Waits for the only call directory under {@code recordingsDir} to be finished and loads it. */
    static RecordedCall awaitOnly(Path recordingsDir, Duration timeout) throws IOException, InterruptedException {
        return load(Recordings.awaitFinished(recordingsDir, 1, timeout).get(0));
    }

    short[] caller() {
        return wav.channel(CALLER);
    }

    short[] assistant() {
        return wav.channel(ASSISTANT);
    }
}
