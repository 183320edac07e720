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

    /** The action that has the agent say a text. */
    public static final String SAY = "say";
    /** The action that sets the agent's instructions. */
    public static final String INSTRUCTIONS = "instructions";

    public CallAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(by, "by");
        if (atMs < 0) {
            throw new IllegalArgumentException("bad action time: " + atMs);
        }
    }

    /** Whether the detail is a supervisor's own text (said or set as instructions), not a target or nothing. */
    public boolean supervisorText() {
        return SAY.equals(action) || INSTRUCTIONS.equals(action);
    }

    /** The same action with its detail replaced by {@code text} (it was taken while recording was paused). */
    public CallAction redacted(String text) {
        return new CallAction(atMs, action, by, detail == null ? null : text);
    }
}
