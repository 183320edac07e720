package gateway.library;

/**
 * A stretch during which recording was paused (e.g. while the caller reads out a card number), in recording
 * milliseconds. Both channels hold silence there, so the timeline still lines up, and the turns that overlap it lose
 * their text. {@code by} says who paused it: {@code api} or {@code tool}.
 */
public record RecordingPause(long startMs, long endMs, String by) {

    public RecordingPause {
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException("bad recording pause: " + startMs + "-" + endMs);
        }
    }

    /** True when the pause and [{@code fromMs}, {@code toMs}] share any time. */
    public boolean overlaps(long fromMs, long toMs) {
        return fromMs < endMs && toMs > startMs || fromMs == toMs && fromMs >= startMs && fromMs < endMs;
    }
}
