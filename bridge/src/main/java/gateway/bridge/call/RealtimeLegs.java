package gateway.bridge.call;

import gateway.library.SessionPeriod;
import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeConnector;
import gateway.realtime.RealtimeLink;
import gateway.realtime.ServerEvent;
import gateway.rtp.G711;
import gateway.time.CallTimeline;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Realtime side of one call: which session is live, and how the call keeps one. Its {@link Phase} says where it
 * is; the sessions themselves are {@link RealtimeLeg}s.
 *
 * <ul>
 *   <li><b>Rollover.</b> The service ends every session after 60 minutes (docs/realtime-protocol.md §5.5). When the
 *   live session's {@code expires_at} is {@link RealtimePolicy#rolloverMarginMs} away, a second session is opened
 *   and configured beside it; at the next turn boundary (nobody speaking, nothing playing, no reply pending) it is
 *   given the conversation so far as text and takes over the caller's audio; the old one drains and closes.</li>
 *   <li><b>Reconnect.</b> When the live session fails ({@code session_expired}, a close, a dropped socket) and no
 *   configured session stands by, new ones are opened with bounded back-off; meanwhile the caller's audio is held
 *   ({@link PendingInput}) and the agent audio already received keeps playing. After the last attempt, or a close
 *   that a new session would repeat (bad key, bad model), the call is told it lost the Realtime side.</li>
 *   <li><b>Resend.</b> The service acknowledges no audio, and a session that ends takes its uncommitted input with
 *   it: a socket that drops without a close frame, or goes silent, may have swallowed what was in flight, and a
 *   clean close or {@code session_expired} cuts off a sentence the caller is in the middle of. The last
 *   {@link RealtimePolicy#resendMs} of caller audio sent is kept ({@link SentAudio}); however the live session ends
 *   (short of a close that ends the call), what it was sent after the last point it proved it had taken into a turn
 *   or heard as no speech ({@link RealtimeLeg#tookUpTo}) is given to the next session first, as it was sent, at its
 *   recording positions. The next session never heard that audio, and the turns before it reach it as text, so no
 *   speech is heard twice.</li>
 * </ul>
 *
 * Each session counts input time from its own first appended sample ({@link InputClock}), so caller turn times stay
 * exact across sessions; {@link #periods()} lists when each session was live, for call.json. Server events reach
 * the call ({@link Events#onServerEvent}), which routes them; the session's own life comes back here
 * ({@link #sessionCreated}, {@link #sessionUpdated}, {@link #sessionExpired}).
 *
 * <p>Threading: the call's loop only; the connector completes there and the sessions' callbacks run there.
 */
final class RealtimeLegs {

    private static final System.Logger LOG = System.getLogger(RealtimeLegs.class.getName());

    /** Go ahead this long after session.update even if session.updated has not come back. */
    static final long READY_FALLBACK_NANOS = 1_000_000_000L;
    /** A replaced session stays open this long: input transcripts arrive 0.5-1.4 s after a commit (§5.3). */
    static final long DRAIN_NANOS = 3_000_000_000L;
    /** Why a session ended whose socket dropped without a close frame or went silent. */
    static final String CONNECTION_LOST = "connection_lost";
    /** The code of the error the service sends before it closes an expired session (§5.5). */
    static final String SESSION_EXPIRED = "session_expired";
    /** Close codes a new session would get again: policy violation, invalid API key, invalid model (§1). */
    static final Set<Integer> FATAL_CLOSE_CODES = Set.of(1008, 3000, 4000);

    /** Where the call's Realtime side is. */
    enum Phase {
        /** Before the answer: the first session is being opened and configured. */
        OPENING,
        /** Before the answer: the first session is configured and waits for the call to answer. */
        READY,
        /** One session is live and takes the caller's audio. */
        LIVE,
        /**
         * The live session nears its end: the next one is being opened (or a new attempt waits its back-off), or it is
         * configured and waits for a turn boundary to take over.
         */
        ROLLING_OVER,
        /** The live session failed: a new one is being opened (or waits its back-off); the caller's audio is held. */
        RECONNECTING,
        /** No session can be had any more: the call has been told and ends. */
        LOST,
        /** The call is over: every session is closed. */
        CLOSED
    }

    /** What the call does with its Realtime side. */
    interface Events {

        /** The first session is configured: the call may answer. */
        void onFirstSessionReady();

        /** A server event of one of the call's sessions, whichever and in whatever state. */
        void onServerEvent(RealtimeLeg leg, ServerEvent event);

        /** Agent audio of the live session. */
        void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset, int length);

        /** Agent audio of the live session in G.711 ({@code realtime.audio-format} pcmu or pcma): its codes. */
        void onAudioCodes(RealtimeLeg leg, String responseId, String itemId, byte[] codes, int offset, int length);

        /** True when a session can be swapped without cutting anyone off. */
        boolean atTurnBoundary();

        /** The conversation so far as text items, oldest first, at most {@code maxChars} of text. */
        List<ClientEvent.ConversationItem> context(int maxChars);

        /**
         * A new session became live; {@code reason} is why the previous one ended ("initial" for the first), and
         * {@code resentFromMs} the recording ms from which it was given again what the previous one had been sent
         * (-1: nothing was).
         */
        void onSwitched(String reason, long resentFromMs);

        /** No Realtime session can be had for this call any more. */
        void onLost(String why);

        /** An exception escaped the handling of a session's event. */
        void onFault(Throwable error);
    }

    private final String callId;
    private final RealtimeConnector connector;
    /** What each new session is told first; new instructions mid-call replace its instructions. */
    private ClientEvent.SessionUpdate sessionUpdate;
    private final RealtimePolicy policy;
    private final Scheduler scheduler;
    private final InstantSource wallClock;
    private final CallClock clock;
    private final Events events;
    private final PendingInput pending = new PendingInput();
    private final SentAudio sent;
    /** What the dropped live session may not have taken into a turn, for the next one, oldest first. */
    private final List<SentAudio.Stretch> resend = new ArrayList<>();
    private final List<RealtimeLeg> legs = new ArrayList<>();
    private final List<SessionPeriod> periods = new ArrayList<>();
    private Phase phase = Phase.OPENING;
    /** The session taking the caller's audio: set in {@code LIVE} and {@code ROLLING_OVER}, null otherwise. */
    private RealtimeLeg live;
    /** The session being opened or waiting to take over, or null (none, or a new attempt waits its back-off). */
    private RealtimeLeg next;
    private int failedAttempts;
    private Cancellable rolloverTimer;
    private Cancellable retryTimer;
    /** Encodes caller audio held over a reconnect for a G.711 session; made on the first such reconnect. */
    private ModelAudio heldAudio;

    RealtimeLegs(String callId, RealtimeConnector connector, ClientEvent.SessionUpdate sessionUpdate,
                 RealtimePolicy policy, Scheduler scheduler, InstantSource wallClock, CallClock clock, Events events) {
        this.callId = callId;
        this.connector = connector;
        this.sessionUpdate = sessionUpdate;
        this.policy = policy;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.clock = clock;
        this.events = events;
        this.sent = new SentAudio((int) CallTimeline.msToSamples(policy.resendMs()),
                ModelAudio.law(sessionUpdate.settings().audioFormat()) != null);
    }

    Phase phase() {
        return phase;
    }

    /** Opens the call's first session (before the answer). */
    void open() {
        next = connect();
    }

    /** The answer: the first session, configured, becomes live and takes the caller's audio from now on. */
    void goLive() {
        if (phase == Phase.READY) {
            switchTo(next);
        }
    }

    /**
     * One 20 ms playout tick: every session's link sends the caller audio it holds for its batch once that has
     * waited a batch ({@link RealtimeLink#tick}); a replaced session still draining sends its last piece too.
     */
    void tick() {
        for (int i = 0; i < legs.size(); i++) {
            legs.get(i).tick();
        }
    }

    /** The live session, or null while none is (before the answer, during a reconnect). */
    RealtimeLeg live() {
        return live;
    }

    /**
     * Caller audio at recording {@code position}: to the live session, or held while a new one is opened. When the
     * sessions take G.711, {@code codes} from {@code codeOffset} are the same audio in that law (one per 3 samples)
     * and go instead; what is held is kept as 24 kHz audio and encoded when it is sent ({@link ModelAudio}).
     */
    void appendCallerAudio(short[] pcm, int offset, int length, long position, byte[] codes, int codeOffset) {
        boolean held = switch (phase) {
            // A live session whose socket already refuses input (the server's close frame has arrived, RFC 6455
            // §5.5.1) but whose end the call has not handled yet holds the audio for the session that follows, as a
            // reconnect does.
            case LIVE, ROLLING_OVER -> codes == null ? !sendLive(pcm, offset, length, position)
                    : !sendLive(length, position, codes, codeOffset);
            case RECONNECTING -> true;
            case OPENING, READY, LOST, CLOSED -> false;
        };
        if (held) {
            pending.add(pcm, offset, length, position);
        }
    }

    /** The 8 kHz audio the next caller audio was taken up from, for {@link SentAudio}. */
    void noteCallerNarrowband(short[] pcm8k, int units, G711 law, byte[] octets) {
        sent.noteNarrowband(pcm8k, units, law, octets);
    }

    private boolean sendLive(short[] pcm, int offset, int length, long position) {
        if (!live.append(pcm, offset, length, position)) {
            return false;
        }
        sent.add(pcm, offset, length);
        return true;
    }

    private boolean sendLive(int length, long position, byte[] codes, int codeOffset) {
        int count = length / CallTimeline.SAMPLES_PER_RTP_UNIT;
        if (!live.appendCodes(codes, codeOffset, count, position)) {
            return false;
        }
        sent.addCodes(codes, codeOffset, count);
        return true;
    }

    /** Sends a client event to the live session (dropped while there is none). */
    void send(ClientEvent event) {
        if (live != null) {
            live.send(event);
        }
    }

    /**
     * New instructions for the rest of the call: the live session gets a {@code session.update} naming them alone, a
     * session already being configured or waiting to take over gets it too, and every later one is opened with them.
     */
    void instructions(String instructions) {
        sessionUpdate = new ClientEvent.SessionUpdate(sessionUpdate.settings().withInstructions(instructions));
        ClientEvent update = new ClientEvent.InstructionsUpdate(instructions);
        send(update);
        if (next != null && (next.state() == RealtimeLeg.State.CONFIGURING
                || next.state() == RealtimeLeg.State.READY)) {
            next.send(update);
        }
    }

    /** True when a configured session waits for a turn boundary to take over. */
    boolean switchWanted() {
        return phase == Phase.ROLLING_OVER && next != null && next.state() == RealtimeLeg.State.READY;
    }

    /** Swaps in the waiting session if the call is at a turn boundary now. */
    void maybeSwitch() {
        if (switchWanted() && events.atTurnBoundary()) {
            switchTo(next);
        }
    }

    /** When each session was live, in recording ms, with why it ended. */
    List<SessionPeriod> periods() {
        List<SessionPeriod> all = new ArrayList<>(periods);
        if (live != null) {
            all.add(period(live, clock.positionMs(), null));
        }
        return all;
    }

    /** The bytes the resend ring holds now. */
    long resendRingBytes() {
        return sent.heldBytes();
    }

    /** Caller audio dropped because too much was held during a reconnect, in samples. */
    long droppedPendingSamples() {
        return pending.droppedSamples();
    }

    /** The call is over: closes every session; {@code reason} ends the live one's period. */
    void close(String reason) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        cancel(rolloverTimer);
        cancel(retryTimer);
        if (live != null) {
            periods.add(period(live, clock.positionMs(), reason));
            live = null;
        }
        next = null;
        pending.clear();
        resend.clear();
        for (RealtimeLeg leg : legs) {
            leg.close();
        }
    }

    // ---- the sessions' own life, routed here from the call ----

    /** {@code session.created}: the session's id and end; a live one's rollover is timed from it. */
    void sessionCreated(RealtimeLeg leg, String sessionId, long expiresAt) {
        leg.session(sessionId, expiresAt);
        if (leg.live()) {
            scheduleRollover(leg);
        }
    }

    /** {@code session.updated}: as created; a session being configured is now ready. */
    void sessionUpdated(RealtimeLeg leg, String sessionId, long expiresAt) {
        leg.session(sessionId, expiresAt);
        if (leg.live()) {
            scheduleRollover(leg);
        } else {
            ready(leg);
        }
    }

    /** The service says the session hit its maximum duration (§5.5): it is gone. */
    void sessionExpired(RealtimeLeg leg, String message) {
        failed(leg, SESSION_EXPIRED, message, false);
    }

    // ---- opening sessions ----

    private RealtimeLeg connect() {
        RealtimeLeg leg = new RealtimeLeg(legs.size(), this);
        legs.add(leg);
        Cancellable deadline = scheduler.schedule(() -> {
            if (leg.state() == RealtimeLeg.State.CONNECTING || leg.state() == RealtimeLeg.State.CONFIGURING) {
                failed(leg, "connect_timeout", "not configured within " + policy.connectTimeoutMs() + " ms", false);
            }
        }, CallTimeline.msToNanos(policy.connectTimeoutMs()));
        connector.connect(leg).whenComplete((link, error) -> scheduler.execute(() -> {
            deadline.cancel();
            opened(leg, link, error);
        }));
        return leg;
    }

    private void opened(RealtimeLeg leg, RealtimeLink link, Throwable error) {
        if (error != null) {
            failed(leg, "connect_failed", error.toString(), false);
            return;
        }
        if (phase == Phase.CLOSED || leg.state() != RealtimeLeg.State.CONNECTING) {
            link.close();
            return;
        }
        leg.linked(link);
        leg.state(RealtimeLeg.State.CONFIGURING);
        leg.send(sessionUpdate);
        scheduler.schedule(() -> ready(leg), READY_FALLBACK_NANOS);
    }

    private void ready(RealtimeLeg leg) {
        if (phase == Phase.CLOSED || leg.state() != RealtimeLeg.State.CONFIGURING) {
            return;
        }
        leg.state(RealtimeLeg.State.READY);
        switch (phase) {
            case OPENING -> {
                phase = Phase.READY;
                events.onFirstSessionReady();
            }
            case RECONNECTING -> switchTo(leg);
            case ROLLING_OVER -> maybeSwitch();
            case READY, LIVE, LOST, CLOSED -> {
            }
        }
    }

    // ---- switching ----

    /** {@code leg} becomes the live session: at the answer, at a rollover's turn boundary, or to end a reconnect. */
    private void switchTo(RealtimeLeg leg) {
        String reason = switch (phase) {
            case READY -> "initial";
            case ROLLING_OVER -> "rollover";
            case RECONNECTING -> "reconnect";
            case OPENING, LIVE, LOST, CLOSED -> throw new IllegalStateException("no session can go live " + phase);
        };
        RealtimeLeg old = live;
        long now = clock.positionMs();
        if (old != null) {
            periods.add(period(old, now, reason));
            old.state(RealtimeLeg.State.DRAINING);
            scheduler.schedule(old::close, DRAIN_NANOS);
        }
        // The first session goes live as the call answers and takes the caller's audio from sample 0 on.
        leg.liveFromMs(phase == Phase.READY ? 0 : now);
        phase = Phase.LIVE;
        next = null;
        live = leg;
        leg.state(RealtimeLeg.State.LIVE);
        leg.sentFrom(sent.written());
        failedAttempts = 0;
        cancel(retryTimer);
        if (leg.index() > 0) {
            for (ClientEvent.ConversationItem item : events.context(policy.contextMaxChars())) {
                leg.send(new ClientEvent.ConversationItemCreate(item));
            }
        }
        long resentFromMs = resend.isEmpty() ? -1 : CallTimeline.samplesToMs(resend.get(0).position());
        for (SentAudio.Stretch stretch : resend) {
            leg.resent(appendResent(leg, stretch));
        }
        resend.clear();
        for (PendingInput.Piece piece = pending.poll(); piece != null; piece = pending.poll()) {
            appendHeld(leg, piece);
        }
        scheduleRollover(leg);
        if (leg.index() > 0) {
            LOG.log(Level.INFO, "call {0}: {1} is live at {2} ms ({3})", callId, leg, String.valueOf(now), reason);
        }
        events.onSwitched(reason, resentFromMs);
    }

    /** Sends audio held over a reconnect: as it is, or encoded in the session's G.711 law. Returns the samples sent. */
    private long appendHeld(RealtimeLeg leg, PendingInput.Piece piece) {
        short[] pcm = piece.pcm();
        G711 law = ModelAudio.law(sessionUpdate.settings().audioFormat());
        if (law == null) {
            if (!leg.append(pcm, 0, pcm.length, piece.position())) {
                return 0;
            }
            sent.add(pcm, 0, pcm.length);
            return pcm.length;
        }
        if (heldAudio == null) {
            heldAudio = new ModelAudio(law);
        }
        int step = ModelAudio.CHUNK * CallTimeline.SAMPLES_PER_RTP_UNIT;
        int whole = pcm.length - pcm.length % CallTimeline.SAMPLES_PER_RTP_UNIT;
        long appended = 0;
        for (int done = 0; done < whole; done += step) {
            int length = Math.min(step, whole - done);
            int n = heldAudio.toCodes(pcm, done, length);
            if (leg.appendCodes(heldAudio.codes(), 0, n, piece.position() + done)) {
                sent.addCodes(heldAudio.codes(), 0, n);
                appended += length;
            }
        }
        return appended;
    }

    /** Sends audio the session before this one was sent and may not have taken: as it was. Returns the samples. */
    private long appendResent(RealtimeLeg leg, SentAudio.Stretch stretch) {
        if (stretch.codes() == null) {
            short[] pcm = stretch.pcm();
            if (!leg.append(pcm, 0, pcm.length, stretch.position())) {
                return 0;
            }
            sent.add(pcm, 0, pcm.length);
            return pcm.length;
        }
        byte[] codes = stretch.codes();
        if (!leg.appendCodes(codes, 0, codes.length, stretch.position())) {
            return 0;
        }
        sent.addCodes(codes, 0, codes.length);
        return (long) codes.length * CallTimeline.SAMPLES_PER_RTP_UNIT;
    }

    /**
     * Keeps for the next session what the ended live session {@code leg} was sent after the last point it proved
     * it had taken into a turn or heard as no speech, at most what {@link SentAudio} keeps, stretch by stretch.
     */
    private void keepForResend(RealtimeLeg leg) {
        InputClock input = leg.input();
        long end = input.appendedSamples();
        long from = Math.max(leg.takenSamples(), sent.oldestKept() - leg.sentFrom());
        resend.clear();
        while (from < end) {
            long stretchEnd = Math.min(end, input.stretchEnd(from));
            resend.add(sent.copy(leg.sentFrom() + from, (int) (stretchEnd - from), input.position(from)));
            from = stretchEnd;
        }
    }

    private void scheduleRollover(RealtimeLeg leg) {
        cancel(rolloverTimer);
        rolloverTimer = null;
        if (leg.expiresAt() == ServerEvent.NO_TIME) {
            return;
        }
        long delayMs = leg.expiresAt() * 1000 - wallClock.millis() - policy.rolloverMarginMs();
        rolloverTimer = scheduler.schedule(() -> startRollover(leg), CallTimeline.msToNanos(Math.max(0, delayMs)));
    }

    private void startRollover(RealtimeLeg leg) {
        if (phase != Phase.LIVE || live != leg) {
            return;
        }
        LOG.log(Level.INFO, "call {0}: {1} expires at {2}; opening the next session", callId, leg,
                String.valueOf(leg.expiresAt()));
        phase = Phase.ROLLING_OVER;
        failedAttempts = 0;
        next = connect();
    }

    // ---- failures ----

    /**
     * A session is gone or unusable. {@code code} is the short reason call.json gives (session_expired,
     * closed_1001, connection_lost, …); {@code detail} is for the log.
     */
    private void failed(RealtimeLeg leg, String code, String detail, boolean fatal) {
        RealtimeLeg.State prior = leg.state();
        if (prior == RealtimeLeg.State.CLOSED) {
            return;
        }
        leg.close();
        if (phase == Phase.CLOSED || prior == RealtimeLeg.State.DRAINING) {
            return;
        }
        if (leg == live) {
            liveFailed(leg, code, detail, fatal);
        } else if (leg == next) {
            nextFailed(code + ": " + detail, fatal);
        }
    }

    private void liveFailed(RealtimeLeg leg, String code, String detail, boolean fatal) {
        String why = code + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        LOG.log(Level.WARNING, "call {0}: {1} ended: {2}", callId, leg, why);
        periods.add(period(leg, clock.positionMs(), code));
        live = null;
        cancel(rolloverTimer);
        keepForResend(leg);
        if (fatal || policy.reconnectAttempts() == 0 && (next == null || !next.usable())) {
            lost(why);
            return;
        }
        phase = Phase.RECONNECTING;
        if (next != null && next.state() == RealtimeLeg.State.READY) {
            switchTo(next);
        } else if (next == null) {
            failedAttempts = 0;
            next = connect();
        }
    }

    private void nextFailed(String why, boolean fatal) {
        next = null;
        if (phase == Phase.OPENING || phase == Phase.READY) {
            lost(why);
            return;
        }
        failedAttempts++;
        LOG.log(Level.WARNING, "call {0}: opening a Realtime session failed (attempt {1} of {2}): {3}", callId,
                String.valueOf(failedAttempts), String.valueOf(policy.reconnectAttempts()), why);
        if (fatal || failedAttempts >= policy.reconnectAttempts()) {
            if (phase == Phase.RECONNECTING) {
                lost("no Realtime session after " + failedAttempts + " attempts: " + why);
            } else {
                phase = Phase.LIVE;                 // the rollover gives up: the live session runs to its end
            }
            return;
        }
        long backoff = policy.reconnectBackoffMs() << Math.min(failedAttempts - 1, 16);
        retryTimer = scheduler.schedule(() -> {
            if ((phase == Phase.ROLLING_OVER || phase == Phase.RECONNECTING) && next == null) {
                next = connect();
            }
        }, CallTimeline.msToNanos(backoff));
    }

    private void lost(String why) {
        phase = Phase.LOST;
        resend.clear();
        events.onLost(why);
    }

    // ---- session callbacks ----

    void onEvent(RealtimeLeg leg, ServerEvent event) {
        try {
            events.onServerEvent(leg, event);
        } catch (RuntimeException e) {
            events.onFault(e);
        }
    }

    void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset, int length) {
        if (!leg.live()) {
            return;
        }
        try {
            events.onAudioDelta(leg, responseId, itemId, pcm, offset, length);
        } catch (RuntimeException e) {
            events.onFault(e);
        }
    }

    void onAudioCodes(RealtimeLeg leg, String responseId, String itemId, byte[] codes, int offset, int length) {
        if (!leg.live()) {
            return;
        }
        try {
            events.onAudioCodes(leg, responseId, itemId, codes, offset, length);
        } catch (RuntimeException e) {
            events.onFault(e);
        }
    }

    void onClosed(RealtimeLeg leg, int code, String reason) {
        try {
            if (leg.state() == RealtimeLeg.State.DRAINING) {
                leg.state(RealtimeLeg.State.CLOSED);
                return;
            }
            failed(leg, code < 0 ? CONNECTION_LOST : "closed_" + code, reason, FATAL_CLOSE_CODES.contains(code));
        } catch (RuntimeException e) {
            events.onFault(e);
        }
    }

    private static SessionPeriod period(RealtimeLeg leg, long endMs, String reason) {
        return new SessionPeriod(leg.index(), leg.sessionId(), Math.max(0, leg.liveFromMs()), endMs, reason,
                CallTimeline.samplesToMs(leg.input().appendedSamples()),
                CallTimeline.samplesToMs(leg.resentSamples()));
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
