package gateway.demoagent;

/**
 * How the embedded demo agent behaves; {@link #defaults()} is the demo, the withers are knobs for tests.
 *
 * @param requiredApiKey    the key the {@code Authorization: Bearer} header must carry; {@code null} accepts any
 * @param replyDelayMs      from speech_stopped to the first audio delta
 * @param deltaMs           audio per {@code response.output_audio.delta}
 * @param deltaIntervalMs   time between deltas (below {@code deltaMs}: faster than real time, like the service)
 * @param closeAfterMs      the server closes the socket (1011) this long after it opened; 0 = never
 * @param transcriptDelayMs from commit to {@code input_audio_transcription.completed}
 * @param replyMode         what the agent says
 * @param toneMs            length of the {@link ReplyMode#TONE} reply
 * @param pingIntervalMs    server PING period (the service pings about every 20 s); 0 = never
 * @param recordFrames      keep the text of received client frames for {@link DemoAgent#receivedFrames()}
 */
public record DemoScript(String requiredApiKey, long replyDelayMs, long deltaMs, long deltaIntervalMs,
                          long closeAfterMs, long transcriptDelayMs, ReplyMode replyMode, long toneMs,
                          long pingIntervalMs, boolean recordFrames) {

    /** What the agent answers with. */
    public enum ReplyMode {
        /** Plays back the caller's last utterance. */
        ECHO,
        /** A fixed-length 440 Hz tone, for deterministic tests. */
        TONE
    }

    public DemoScript {
        if (deltaMs <= 0 || deltaIntervalMs <= 0 || replyDelayMs < 0 || closeAfterMs < 0 || transcriptDelayMs < 0
                || toneMs < 0 || pingIntervalMs < 0 || replyMode == null) {
            throw new IllegalArgumentException("invalid agent script: " + summary(deltaMs, deltaIntervalMs));
        }
    }

    private static String summary(long deltaMs, long deltaIntervalMs) {
        return "deltaMs=" + deltaMs + ", deltaIntervalMs=" + deltaIntervalMs;
    }

    /** The demo: any key, echo, 200 ms reply delay, 100 ms deltas every 20 ms, transcript 600 ms after commit. */
    public static DemoScript defaults() {
        return new DemoScript(null, 200, 100, 20, 0, 600, ReplyMode.ECHO, 1000, 20_000, false);
    }

    public DemoScript withRequiredApiKey(String key) {
        return new DemoScript(key, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs, transcriptDelayMs,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withReplyDelayMs(long ms) {
        return new DemoScript(requiredApiKey, ms, deltaMs, deltaIntervalMs, closeAfterMs, transcriptDelayMs,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withDeltaMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, ms, deltaIntervalMs, closeAfterMs, transcriptDelayMs,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withDeltaIntervalMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, ms, closeAfterMs, transcriptDelayMs,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withCloseAfterMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, ms, transcriptDelayMs,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withTranscriptDelayMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs, ms,
                replyMode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withReplyMode(ReplyMode mode) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs,
                transcriptDelayMs, mode, toneMs, pingIntervalMs, recordFrames);
    }

    public DemoScript withToneMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs,
                transcriptDelayMs, replyMode, ms, pingIntervalMs, recordFrames);
    }

    public DemoScript withPingIntervalMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs,
                transcriptDelayMs, replyMode, toneMs, ms, recordFrames);
    }

    public DemoScript withRecordFrames(boolean record) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, closeAfterMs,
                transcriptDelayMs, replyMode, toneMs, pingIntervalMs, record);
    }

    @Override
    public String toString() {
        return "DemoScript[key=" + (requiredApiKey == null ? "any" : "required") + ", reply=" + replyMode
                + ", replyDelayMs=" + replyDelayMs + ", deltaMs=" + deltaMs + ", deltaIntervalMs=" + deltaIntervalMs
                + ", closeAfterMs=" + closeAfterMs + ", transcriptDelayMs=" + transcriptDelayMs + "]";
    }
}
