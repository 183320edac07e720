package gateway.library;

import java.util.Objects;

/**
 * One thing a supervisor did to the call in progress through the active calls API, in recording milliseconds.
 *
 * @param atMs   when the call's loop carried it out
 * @param action {@code say}, {@code instructions} or {@code hangup}
 * @param by     who asked: {@code token} (a bearer token was presented) or {@code loopback} (a client on this
 *               machine, no token configured)
 * @param detail what was said or the new instructions; null for a hang-up
 */
public record CallAction(long atMs, String action, String by, String detail) {

    public CallAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(by, "by");
        if (atMs < 0) {
            throw new IllegalArgumentException("bad action time: " + atMs);
        }
    }

    /** The same action with its detail replaced by {@code text} (it was taken while recording was paused). */
    public CallAction redacted(String text) {
        return new CallAction(atMs, action, by, detail == null ? null : text);
    }
}
