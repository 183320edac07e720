package gateway.library;

import java.time.Instant;
import java.util.Objects;

/**
 * One call.json (or call.json.partial) as values: what {@link CallJson} writes and reads back.
 *
 * @param endedAt    null in a checkpoint, or in a file that does not say
 * @param endReason  null in a checkpoint
 * @param durationMs the recording's length: the call's end position, or in a checkpoint the audio so far
 * @param stats      audio.wav's frame count and the recorder's counters
 * @param recording  what is missing from audio.wav and why; null in a call.json written before the gateway said so
 * @param analytics  what the recording says about the conversation; null in a checkpoint or an older file
 */
public record CallRecord(CallMetadata meta, Instant endedAt, String endReason, long durationMs, CallLog log,
                         RecorderStats stats, RecordingStatus recording, CallAnalytics analytics) {

    public CallRecord {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(stats, "stats");
    }

    /** A record without analytics (a checkpoint, a recovered call). */
    public CallRecord(CallMetadata meta, Instant endedAt, String endReason, long durationMs, CallLog log,
                      RecorderStats stats, RecordingStatus recording) {
        this(meta, endedAt, endReason, durationMs, log, stats, recording, null);
    }

    /** The codec last negotiated: the log's when it learned one, else the metadata's. */
    public String codec() {
        return log.codec() != null ? log.codec() : meta.codec();
    }

    /**
     * Whether every sample of the call reached audio.wav: what call.json says, or for a file written before it said
     * so, that no chunk was dropped, no sample was late or rejected, and the gateway did not crash.
     */
    public boolean complete() {
        if (recording != null) {
            return recording.complete();
        }
        return !RecordingFormat.CRASH_END_REASON.equals(endReason) && stats.droppedWrites() == 0
                && stats.lateSamples() == 0 && stats.rejectedSamples() == 0;
    }
}
