package gateway.demoagent;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the demo agent behaves; {@link #defaults()} is the demo, the other methods return changed copies for tests.
 * Connections are numbered from 1 in the order the agent accepts them; faults and refusals are chosen by number.
 *
 * @param requiredApiKey    the key the {@code Authorization: Bearer} header must carry; {@code null} accepts any
 * @param replyDelayMs      from speech_stopped to the first audio delta
 * @param deltaMs           audio per {@code response.output_audio.delta}
 * @param deltaIntervalMs   time between deltas (below {@code deltaMs}: faster than real time, like the service)
 * @param transcriptDelayMs from commit to {@code input_audio_transcription.completed}
 * @param replyMode         what the agent says
 * @param toneMs            length of the {@link ReplyMode#TONE} reply
 * @param pingIntervalMs    server PING period (the service pings about every 20 s); 0 = never
 * @param recordFrames      keep the text of received client frames ({@link DemoAgent#receivedFrames()},
 *                          {@link DemoConnection#receivedFrames()})
 * @param sessionSeconds    the maximum session age (60 min on GA, docs/realtime-protocol.md §5.5): then
 *                          {@code session_expired} and close 1001; {@code session.expires_at} announces it
 * @param faults            a scripted fault per connection number (its end, a hang, a raw frame, a refused upgrade)
 * @param refuseFrom        upgrades of this connection number and later are answered with HTTP 503; 0 = never
 * @param toolCalls         by caller turn (1-based, counted on each connection: every commit, by the VAD or the
 *                          client), a function the model calls before it answers that turn, or after it spoke
 *                          (docs/realtime-protocol.md §5.4)
 * @param errors            by caller turn (counted as above), an {@code error} event the agent sends when that
 *                          turn is committed, as the service does when it has a problem of its own (§4)
 */
public record DemoScript(String requiredApiKey, long replyDelayMs, long deltaMs, long deltaIntervalMs,
                         long transcriptDelayMs, ReplyMode replyMode, long toneMs, long pingIntervalMs,
                         boolean recordFrames, long sessionSeconds, Map<Integer, DemoFault> faults, int refuseFrom,
                         Map<Integer, DemoToolCall> toolCalls, Map<Integer, DemoError> errors) {

    /** The GA maximum session length (§5.5). */
    public static final long GA_SESSION_SECONDS = 3600;

    /** What the agent answers with. */
    public enum ReplyMode {
        /** Plays back the caller's last utterance. */
        ECHO,
        /** A fixed-length 440 Hz tone, for deterministic tests. */
        TONE
    }

    public DemoScript {
        if (deltaMs <= 0 || deltaIntervalMs <= 0 || replyDelayMs < 0 || transcriptDelayMs < 0 || toneMs < 0
                || pingIntervalMs < 0 || replyMode == null || sessionSeconds <= 0 || refuseFrom < 0) {
            throw new IllegalArgumentException("invalid agent script: deltaMs=" + deltaMs + ", deltaIntervalMs="
                    + deltaIntervalMs + ", sessionSeconds=" + sessionSeconds + ", refuseFrom=" + refuseFrom);
        }
        faults = Map.copyOf(faults);
        toolCalls = Map.copyOf(toolCalls);
        errors = Map.copyOf(errors);
        for (int turn : errors.keySet()) {
            if (turn < 1) {
                throw new IllegalArgumentException("turns are numbered from 1, got " + turn);
            }
        }
        for (int turn : toolCalls.keySet()) {
            if (turn < 1) {
                throw new IllegalArgumentException("turns are numbered from 1, got " + turn);
            }
        }
        for (int connection : faults.keySet()) {
            if (connection < 1) {
                throw new IllegalArgumentException("connections are numbered from 1, got " + connection);
            }
            if (refuseFrom > 0 && connection >= refuseFrom) {
                throw new IllegalArgumentException("connection " + connection + " has a fault but connections from "
                        + refuseFrom + " on are refused");
            }
        }
    }

    /** A script without tool calls: the components as they were before {@code toolCalls}. */
    public DemoScript(String requiredApiKey, long replyDelayMs, long deltaMs, long deltaIntervalMs,
                      long transcriptDelayMs, ReplyMode replyMode, long toneMs, long pingIntervalMs,
                      boolean recordFrames, long sessionSeconds, Map<Integer, DemoFault> faults, int refuseFrom) {
        this(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode, toneMs,
                pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, Map.of(), Map.of());
    }

    /** The demo: any key, echo, 200 ms reply delay, 100 ms deltas every 20 ms, transcript 600 ms after commit. */
    public static DemoScript defaults() {
        return new DemoScript(null, 200, 100, 20, 600, ReplyMode.ECHO, 1000, 20_000, false, GA_SESSION_SECONDS,
                Map.of(), 0);
    }

    /** The scripted end of connection {@code n} (1-based), or {@code null}. */
    public DemoFault faultOf(int n) {
        return faults.get(n);
    }

    /** True when the upgrade of connection {@code n} (1-based) is answered with HTTP 503. */
    public boolean refuses(int n) {
        return refuseFrom > 0 && n >= refuseFrom;
    }

    /** The function the model calls before it answers caller turn {@code turn} (1-based), or {@code null}. */
    public DemoToolCall toolCallOn(int turn) {
        return toolCalls.get(turn);
    }

    /** The error the agent sends when caller turn {@code turn} (1-based) is committed, or {@code null}. */
    public DemoError errorOn(int turn) {
        return errors.get(turn);
    }

    /**
     * An {@code error} event the agent sends of its own accord (docs/realtime-protocol.md §4): the error object's
     * {@code type} (e.g. {@code server_error}, {@code invalid_request_error}), {@code code} and {@code message}.
     */
    public record DemoError(String type, String code, String message) {
        public DemoError {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * When caller turn {@code turn} (1-based, on every connection) is committed, the agent sends an {@code error}
     * of {@code type} with {@code code} and {@code message} (event_id null: it refuses nothing the client sent), as
     * the service does for its own problems; the turn is answered as usual.
     */
    public DemoScript withErrorOnTurn(int turn, String type, String code, String message) {
        if (turn < 1) {
            throw new IllegalArgumentException("turns are numbered from 1, got " + turn);
        }
        Map<Integer, DemoError> more = new HashMap<>(errors);
        more.put(turn, new DemoError(type, code, message));
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, more);
    }

    /**
     * As {@link #withToolCall}, but the response first says its usual reply to that turn (the echo or the tone),
     * then calls the tool, in one response of two output items, as a model says goodbye and calls end_call in one
     * turn. The agent then waits for the client's response.create, as for any call.
     */
    public DemoScript withToolCallAfterSpeech(int turn, String name, String argumentsJson) {
        return withCall(turn, new DemoToolCall(name, argumentsJson, true));
    }

    /**
     * The reply to caller turn {@code turn} (1-based, on every connection) starts with a call of tool {@code name}
     * with {@code argumentsJson} (a JSON object), as a model does (docs/realtime-protocol.md §5.4): a response with
     * a {@code function_call} item, its arguments streamed in deltas every {@link #deltaIntervalMs()}, then done.
     * The agent then waits: it speaks its reply to that turn after the client's {@code response.create}, which
     * should follow the {@code function_call_output} for that {@code call_id} ({@link DemoConnection#toolCalls()}).
     * The call is made only if the session declares the tool, as a model can call nothing else; otherwise the turn
     * is answered at once.
     */
    public DemoScript withToolCall(int turn, String name, String argumentsJson) {
        return withCall(turn, new DemoToolCall(name, argumentsJson));
    }

    private DemoScript withCall(int turn, DemoToolCall call) {
        if (turn < 1) {
            throw new IllegalArgumentException("turns are numbered from 1, got " + turn);
        }
        if (toolCalls.containsKey(turn)) {
            throw new IllegalArgumentException("turn " + turn + " already calls " + toolCalls.get(turn));
        }
        Map<Integer, DemoToolCall> more = new HashMap<>(toolCalls);
        more.put(turn, call);
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, more, errors);
    }

    /** Connection {@code connection}'s session expires {@code ms} after it opened (§5.5), whatever the session age. */
    public DemoScript expireAfterMs(int connection, long ms) {
        return withFault(connection, new DemoFault.Expire(ms));
    }

    /** Connection {@code connection} gets a close frame with {@code code} {@code ms} after it opened. */
    public DemoScript closeAfterMs(int connection, long ms, int code) {
        return withFault(connection, new DemoFault.Close(ms, code));
    }

    /** Connection {@code connection} loses its TCP connection, without a close frame, {@code ms} after it opened. */
    public DemoScript dropAfterMs(int connection, long ms) {
        return withFault(connection, new DemoFault.Drop(ms));
    }

    /**
     * Connection {@code connection} hangs {@code ms} after it opened: nothing more is sent or read, the TCP
     * connection stays open ({@link DemoFault.Silent}).
     */
    public DemoScript silentAfterMs(int connection, long ms) {
        return withFault(connection, new DemoFault.Silent(ms));
    }

    /** Connection {@code connection} sends {@code text} as one text frame {@code ms} after it opened, and goes on. */
    public DemoScript sendAfterMs(int connection, long ms, String text) {
        return withFault(connection, new DemoFault.Send(ms, text));
    }

    /** Connection {@code connection} sends one well-formed event of {@code bytes} bytes {@code ms} after it opened. */
    public DemoScript oversizedAfterMs(int connection, long ms, int bytes) {
        return withFault(connection, new DemoFault.Oversized(ms, bytes));
    }

    /** The upgrade of connection {@code connection} is answered with HTTP {@code status} (e.g. 401) and closed. */
    public DemoScript refuseConnection(int connection, int status) {
        return withFault(connection, new DemoFault.Refuse(status));
    }

    /** The upgrade of connection {@code connection} is never answered: the handshake hangs. */
    public DemoScript holdConnection(int connection) {
        return withFault(connection, new DemoFault.Hold());
    }

    /** Upgrades from the {@code n}-th connection on (1-based) get HTTP 503, so reconnect attempts fail. */
    public DemoScript refuseConnectionsFrom(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("connections are numbered from 1, got " + n);
        }
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, n, toolCalls, errors);
    }

    private DemoScript withFault(int connection, DemoFault fault) {
        if (faults.containsKey(connection)) {
            throw new IllegalArgumentException("connection " + connection + " already ends by "
                    + faults.get(connection));
        }
        Map<Integer, DemoFault> more = new HashMap<>(faults);
        more.put(connection, fault);
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, more, refuseFrom, toolCalls, errors);
    }

    public DemoScript withSessionSeconds(long seconds) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, seconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withRequiredApiKey(String key) {
        return new DemoScript(key, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withReplyDelayMs(long ms) {
        return new DemoScript(requiredApiKey, ms, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withDeltaMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, ms, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withDeltaIntervalMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, ms, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withTranscriptDelayMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, ms, replyMode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withReplyMode(ReplyMode mode) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, mode,
                toneMs, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withToneMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                ms, pingIntervalMs, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withPingIntervalMs(long ms) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, ms, recordFrames, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    public DemoScript withRecordFrames(boolean record) {
        return new DemoScript(requiredApiKey, replyDelayMs, deltaMs, deltaIntervalMs, transcriptDelayMs, replyMode,
                toneMs, pingIntervalMs, record, sessionSeconds, faults, refuseFrom, toolCalls, errors);
    }

    @Override
    public String toString() {
        return "DemoScript[key=" + (requiredApiKey == null ? "any" : "required") + ", reply=" + replyMode
                + ", replyDelayMs=" + replyDelayMs + ", deltaMs=" + deltaMs + ", deltaIntervalMs=" + deltaIntervalMs
                + ", transcriptDelayMs=" + transcriptDelayMs + ", sessionSeconds=" + sessionSeconds
                + ", faults=" + faults + ", refuseFrom=" + refuseFrom + ", toolCalls=" + toolCalls
                + ", errors=" + errors + "]";
    }
}
