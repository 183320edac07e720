package gateway.recorder;

import java.util.List;

/**
 * Whether audio.wav holds all the audio of the call, as call.json's {@code recording} object says: complete when no
 * file of the call failed and nothing is missing; else the first failure (null when none) and the missing ranges.
 */
record RecordingStatus(String failure, List<MissingRange> missing) {

    static final RecordingStatus COMPLETE = new RecordingStatus(null, List.of());

    RecordingStatus {
        missing = List.copyOf(missing);
    }

    boolean complete() {
        return failure == null && missing.isEmpty();
    }
}
