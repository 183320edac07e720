package gateway.bridge.call;

import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeLink;
import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.time.CallTimeline;
import java.util.ArrayDeque;

/**
 * One Realtime session of a call: its link, where it is in its life, its own input clock, and the responses it
 * created. A call has one live leg at a time; around a rollover or reconnect a second one is opened beside it and
 * the first drains (late transcripts) before it closes. The leg's listener callbacks go to {@link RealtimeLegs}.
 *
 * <p>Call's loop only.
 */
final class RealtimeLeg implements RealtimeListener {

    /** Responses remembered per session, to tell its own items from another session's; replies are sequential. */
    private static final int RESPONSES_KEPT = 16;

    enum State {
        /** The WebSocket is being opened. */
        CONNECTING,
        /** session.update sent; waiting for session.updated. */
        CONFIGURING,
        /** Configured, not yet taking the caller's audio. */
        READY,
        /** The call's current session: it gets the caller's audio and its replies are played. */
        LIVE,
        /** Replaced: takes no audio, its replies are ignored, its late transcripts still count; closes soon. */
        DRAINING,
        /** Gone. */
        CLOSED
    }

    private final int index;
    private final RealtimeLegs owner;
    private final InputClock input = new InputClock();
    private final ArrayDeque<String> responses = new ArrayDeque<>();
    private RealtimeLink link;
    private State state = State.CONNECTING;
    private String sessionId;
    private long expiresAt = ServerEvent.NO_TIME;
    private long liveFromMs = -1;
    /** Where the session's input began on the call's count of samples sent ({@link SentAudio}). */
    private long sentFrom;
    /** Input samples the session proved it took into a turn, or heard as no speech, or that were cleared. */
    private long takenSamples;
    /** Input samples given to this session again after the session before it failed. */
    private long resentSamples;

    RealtimeLeg(int index, RealtimeLegs owner) {
        this.index = index;
        this.owner = owner;
    }

    /** 0 for the call's first session, then 1, 2, … */
    int index() {
        return index;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    boolean live() {
        return state == State.LIVE;
    }

    /** True while the session's transcripts count: it is live, or it was replaced and drains. */
    boolean transcribes() {
        return state == State.LIVE || state == State.DRAINING;
    }

    /** True while the leg may still become or be the live one. */
    boolean usable() {
        return state != State.DRAINING && state != State.CLOSED;
    }

    void linked(RealtimeLink opened) {
        link = opened;
    }

    RealtimeLink link() {
        return link;
    }

    InputClock input() {
        return input;
    }

    String sessionId() {
        return sessionId;
    }

    /** The session's end in Unix seconds, {@link ServerEvent#NO_TIME} until the service said. */
    long expiresAt() {
        return expiresAt;
    }

    void session(String id, long expires) {
        if (id != null) {
            sessionId = id;
        }
        if (expires != ServerEvent.NO_TIME) {
            expiresAt = expires;
        }
    }

    long liveFromMs() {
        return liveFromMs;
    }

    void liveFromMs(long ms) {
        liveFromMs = ms;
    }

    /** Where the session's input began on the call's count of samples sent. */
    long sentFrom() {
        return sentFrom;
    }

    void sentFrom(long written) {
        sentFrom = written;
    }

    /**
     * The service timed caller speech at input ms {@code inputMs} ({@code speech_started}'s start,
     * {@code speech_stopped}'s end, §5.1): the audio before it was received, and is either in a committed turn, heard
     * as no speech, or in the turn just started (whose audio follows it).
     */
    void tookUpTo(long inputMs) {
        long samples = Math.min(CallTimeline.msToSamples(Math.max(0, inputMs)), input.appendedSamples());
        takenSamples = Math.max(takenSamples, samples);
    }

    /** The session's input buffer was cleared ({@code input_audio_buffer.clear}): nothing before now counts. */
    void inputCleared() {
        takenSamples = input.appendedSamples();
    }

    /** Input samples from which on the session never proved it took the audio into a turn. */
    long takenSamples() {
        return takenSamples;
    }

    /** {@code samples} of the input sent just now were resent from the session before. */
    void resent(long samples) {
        resentSamples += samples;
    }

    long resentSamples() {
        return resentSamples;
    }

    /** Sends a client event while the link is open. */
    void send(ClientEvent event) {
        if (accepting()) {
            link.send(event);
        }
    }

    /** A playout tick for the input the link holds ({@link RealtimeLink#tick}). */
    void tick() {
        if (accepting()) {
            link.tick();
        }
    }

    /** True while the socket takes input: linked, and neither side has started to close it. */
    private boolean accepting() {
        return link != null && link.isOpen();
    }

    /**
     * Appends caller audio at recording {@code position} and notes it on the input clock; false, with nothing sent,
     * when the socket no longer takes input.
     */
    boolean append(short[] pcm, int offset, int length, long position) {
        if (!accepting()) {
            return false;
        }
        link.appendAudio(pcm, offset, length);
        input.appended(position, length);
        return true;
    }

    /**
     * As {@link #append} for a session in G.711: {@code count} codes from {@code offset}, at recording
     * {@code position}, 3 timeline samples each.
     */
    boolean appendCodes(byte[] codes, int offset, int count, long position) {
        if (!accepting()) {
            return false;
        }
        link.appendCodes(codes, offset, count);
        input.appended(position, count * CallTimeline.SAMPLES_PER_RTP_UNIT);
        return true;
    }

    /** A response this session created. */
    void responseCreated(String responseId) {
        if (responseId == null || responses.contains(responseId)) {
            return;
        }
        if (responses.size() == RESPONSES_KEPT) {
            responses.pollFirst();
        }
        responses.addLast(responseId);
    }

    /** True when {@code responseId} was created by this session. */
    boolean created(String responseId) {
        return responseId != null && responses.contains(responseId);
    }

    /** Closes the session; its {@code onClosed} (now or later) then finds it closed. */
    void close() {
        state = State.CLOSED;
        if (link != null) {
            link.close();
        }
    }

    @Override
    public void onEvent(ServerEvent event) {
        owner.onEvent(this, event);
    }

    @Override
    public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
        owner.onAudioDelta(this, responseId, itemId, pcm24k, offset, length);
    }

    @Override
    public void onAudioCodes(String responseId, String itemId, byte[] codes, int offset, int length) {
        owner.onAudioCodes(this, responseId, itemId, codes, offset, length);
    }

    @Override
    public void onClosed(int statusCode, String reason) {
        owner.onClosed(this, statusCode, reason);
    }

    @Override
    public String toString() {
        return "session " + index + (sessionId == null ? "" : " (" + sessionId + ")");
    }
}
