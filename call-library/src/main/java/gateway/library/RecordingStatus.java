package gateway.library;

import java.util.List;

/**
 * Whether audio.wav holds all the audio of the call, as call.json's {@code recording} object says: complete when no
 * file of the call failed and nothing is missing ({@link #of}); else the first failure (null when none) and the
 * missing ranges. Read back, {@code complete} is what the file says.
 */
public record RecordingStatus(boolean complete, String failure, List<MissingRange> missing) {

    public static final RecordingStatus COMPLETE = of(null, List.of());

    public RecordingStatus {
        missing = List.copyOf(missing);
    }

    /** The status of a recording with this failure (or null) and these losses. */
    public static RecordingStatus of(String failure, List<MissingRange> missing) {
        return new RecordingStatus(failure == null && missing.isEmpty(), failure, missing);
    }
}
