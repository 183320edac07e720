package gateway.library;

import gateway.time.CallTimeline;

/**
 * The recording format, in one place: what a call's directory {@code <recordings.dir>/<id>/} holds. The recorder
 * writes it, crash recovery repairs it, the library indexes it, the QA API and object storage serve it, and the
 * consent prompt is read with the same WAV codec.
 *
 * <ul>
 *   <li>{@value #AUDIO_FILE}: PCM16 WAV, {@value #SAMPLE_RATE} Hz, {@value #CHANNELS} channels interleaved, left
 *       (channel 0) the caller and right (1) the assistant ({@link Role#channel()}); frame 0 is the answer (the 183
 *       of early media), so a frame index is a position on the call's timeline ({@link CallTimeline}). The
 *       canonical 44-byte header is rewritten as the file grows; {@link WavCodec} writes and reads it.</li>
 *   <li>{@value #CALL_JSON_FILE}: the call's metadata, turns, holds, DTMF keys, Realtime sessions, transfer, early
 *       media ({@link EarlyMedia}), recording pauses and what audio is missing and why, written last;
 *       {@link CallJson} writes and reads it, as a {@link CallRecord}.</li>
 *   <li>{@value #PARTIAL_JSON_FILE}: the same document while the call runs (end fields null), the checkpoint crash
 *       recovery finishes a call from; removed once call.json is in place.</li>
 *   <li>{@value #VTT_FILE} and {@value #SRT_FILE}: the turns as WebVTT and SubRip captions with speaker labels
 *       (the recorder's {@code VttCaptions} and {@code SrtCaptions}).</li>
 *   <li>{@value #LEGAL_HOLD_FILE}: present while the call is under legal hold ({@link LegalHold}); such a call is
 *       neither deleted nor expired by retention.</li>
 *   <li>{@value #REVIEW_FILE}: the reviewers' scorecards and the notes pinned to moments of the recording
 *       ({@link CallReview}), written by the QA API after the call; absent until someone reviews or notes.</li>
 * </ul>
 * The files a finished call can be read by are {@link CallFile}s.
 */
public final class RecordingFormat {

    public static final String AUDIO_FILE = "audio.wav";
    public static final String CALL_JSON_FILE = "call.json";
    public static final String PARTIAL_JSON_FILE = "call.json.partial";
    public static final String VTT_FILE = "captions.vtt";
    public static final String SRT_FILE = "captions.srt";
    public static final String LEGAL_HOLD_FILE = "legal-hold.json";
    public static final String REVIEW_FILE = "review.json";

    /** Samples per second of each channel: the call timeline's rate. */
    public static final int SAMPLE_RATE = CallTimeline.SAMPLE_RATE;
    /** Caller and assistant. */
    public static final int CHANNELS = 2;
    /** One stereo PCM16 frame. */
    public static final int BYTES_PER_FRAME = CHANNELS * Short.BYTES;

    /** The {@code end_reason} of a call that crash recovery finished. */
    public static final String CRASH_END_REASON = "gateway_crash";

    private RecordingFormat() {
    }
}
