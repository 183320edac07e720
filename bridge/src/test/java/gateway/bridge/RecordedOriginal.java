package gateway.bridge;

import gateway.library.CallJson;
import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.RecorderStats;
import gateway.library.RecordingStatus;
import gateway.testkit.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A finished call to replay, written in the recording format: a caller channel unlike itself at any offset. */
final class RecordedOriginal {

    static final int RATE = 24_000;
    static final String FROM = "sip:alice@example.com";

    private RecordedOriginal() {
    }

    /** {@code samples} of caller audio, every sample unlike its neighbours, so an offset of one shows. */
    static short[] caller(int samples) {
        short[] caller = new short[samples];
        for (int i = 0; i < caller.length; i++) {
            caller[i] = (short) (i % 2000 * 11 - 11_000);
        }
        return caller;
    }

    /** Writes {@code <recordings>/<id>/} with audio.wav ({@code caller}, a silent agent) and call.json; its path. */
    static Path write(Path recordings, String id, short[] caller) throws IOException {
        Path dir = Files.createDirectories(recordings.resolve(id));
        WavWriter.write(dir.resolve("audio.wav"), RATE, caller, new short[caller.length]);
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        long durationMs = caller.length * 1000L / RATE;
        CallMetadata meta = new CallMetadata(id, id + "@192.0.2.10", FROM, "sip:support@example.net", start, "PCMU");
        Files.write(dir.resolve("call.json"), CallJson.write(new CallRecord(meta, start.plusMillis(durationMs),
                "caller_bye", durationMs, CallLog.EMPTY, new RecorderStats(0, 0, 0, 0, 0), RecordingStatus.COMPLETE)));
        return dir;
    }
}
