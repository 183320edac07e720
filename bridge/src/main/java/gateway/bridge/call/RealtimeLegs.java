package gateway.bridge.call;

import gateway.library.SessionPeriod;
import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeConnector;
import gateway.realtime.RealtimeLink;
import gateway.realtime.ServerEvent;
import gateway.time.Cancellable;
import gateway.time.CallTimeline;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Realtime side of one call: which session is live, and how the call keeps one.
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
 * </ul>
 *
 * Each session counts input time from its own first appended sample ({@link InputClock}), so caller turn times stay
 * exact across sessions; {@link #periods()} lists when each session was live, for call.json.
 *
 * <p>Threading: the call's loop only; the connector completes there and the sessions' callbacks run there.
 */
final class RealtimeLegs {

    private static final System.Logger LOG = System.getLogger(RealtimeLegs.class.getName());

    /** Go ahead this long after session.update even if session.updated has not come back. */
    static final long READY_FALLBACK_NANOS = 1_000_000_000L;
    /** A replaced session stays open this long: input transcripts arrive 0.5-1.4 s after a commit (§5.3). */
    static final long DRAIN_NANOS = 3_000_000_000L;
    /** The code of the error the service sends before it closes an expired session (§5.5). */
    static final String SESSION_EXPIRED = "session_expired";
    /** Close codes a new session would get again: policy violation, invalid API key, invalid model (§1). */
    static final Set<Integer> FATAL_CLOSE_CODES = Set.of(1008, 3000, 4000);

    /** What the call does with its Realtime side. */
    interface Events {

        /** The first session is configured: the call may answer. */
        void onFirstSessionReady();

        /** A conversation event of the live session, or a transcript that a replaced session still delivers. */
        void onServerEvent(RealtimeLeg leg, ServerEvent event);

        /** Agent audio of the live session. */
        void onAudioDelta(RealtimeLeg leg, String responseId, String itemId, short[] pcm, int offset, int length);

        /** True when a session can be swapped without cutting anyone off. */
        boolean atTurnBoundary();

        /** The conversation so far as text items, oldest first, at most {@code maxChars} of text. */
        List<ClientEvent.ConversationItem> context(int maxChars);

        /** Recording time now, in ms (0 before the answer). */
        long positionMs();

        /** A new session became live; {@code reason} is why the previous one ended ("initial" for the first). */
        void onSwitched(String reason);

        /** No Realtime session can be had for this call any more. */
        void onLost(String why);

        /** An exception escaped the handling of a session's event. */
        void onFault(Throwable error);
    }

    private final String callId;
    private final RealtimeConnector connector;
    private final ClientEvent.SessionUpdate sessionUpdate;
    private final RealtimePolicy policy;
    private final Scheduler scheduler;
    private final InstantSource wallClock;
    private final Events events;
    private final PendingInput pending = new PendingInput();
    private final List<RealtimeLeg> legs = new ArrayList<>();
    private final List<SessionPeriod> periods = new ArrayList<>();
    private RealtimeLeg live;
    private RealtimeLeg standby;
    private boolean everLive;
    private boolean recovering;
    private boolean closed;
    private int failedAttempts;
    private Cancellable rolloverTimer;
    private Cancellable retryTimer;

    RealtimeLegs(String callId, RealtimeConnector connector, ClientEvent.SessionUpdate sessionUpdate,
                 RealtimePolicy policy, Scheduler scheduler, InstantSource wallClock, Events events) {
        this.callId = callId;
        this.connector = connector;
        this.sessionUpdate = sessionUpdate;
        this.policy = policy;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.events = events;
    }

    /** Opens the call's first session (before the answer). */
    void open() {
        standby = connect();
    }

    /** The answer: the first session, configured, becomes live and takes the caller's audio from now on. */
    void goLive() {
        if (standby != null && standby.state() == RealtimeLeg.State.READY && live == null) {
            switchTo(standby, null);
        }
    }

    /** The live session, or null while none is (before the answer, during a reconnect). */
    RealtimeLeg live() {
        return live;
    }

    /** Caller audio at recording {@code position}: to the live session, or held while a new one is opened. */
    void appendCallerAudio(short[] pcm, int offset, int length, long position) {
        // A live session whose socket already refuses input (the server's close frame has arrived, RFC 6455
        // §5.5.1) but whose end the call has not handled yet holds the audio for the session that follows, as a
        // reconnect does.
        boolean taken = live != null && live.append(pcm, offset, length, position);
        if (!taken && (live != null || recovering)) {
            pending.add(pcm, offset, length, position);
        }
    }

    /** Sends a client event to the live session (dropped while there is none). */
    void send(ClientEvent event) {
        if (live != null) {
            live.send(event);
        }
    }

    /** True when a configured session waits for a turn boundary to take over. */
    boolean switchWanted() {
        return live != null && standby != null && standby.state() == RealtimeLeg.State.READY;
    }

    /** Swaps in the waiting session if the call is at a turn boundary now. */
    void maybeSwitch() {
        if (switchWanted() && events.atTurnBoundary()) {
            switchTo(standby, "rollover");
        }
    }

    /** When each session was live, in recording ms, with why it ended. */
    List<SessionPeriod> periods() {
        List<SessionPeriod> all = new ArrayList<>(periods);
        if (live != null) {
            all.add(period(live, events.positionMs(), null));
        }
        return all;
    }

    /** Caller audio dropped because too much was held during a reconnect, in samples. */
    long droppedPendingSamples() {
        return pending.droppedSamples();
    }

    /** The call is over: closes every session; {@code reason} ends the live one's period. */
    void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        cancel(rolloverTimer);
        cancel(retryTimer);
        if (live != null) {
            periods.add(period(live, events.positionMs(), reason));
            live = null;
        }
        pending.clear();
        for (RealtimeLeg leg : legs) {
            leg.close();
        }
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
        if (closed || leg.state() != RealtimeLeg.State.CONNECTING) {
            link.close();
            return;
        }
        leg.linked(link);
        leg.state(RealtimeLeg.State.CONFIGURING);
        leg.send(sessionUpdate);
        scheduler.schedule(() -> ready(leg), READY_FALLBACK_NANOS);
    }

    private void ready(RealtimeLeg leg) {
        if (closed || leg.state() != RealtimeLeg.State.CONFIGURING) {
            return;
        }
        leg.state(RealtimeLeg.State.READY);
        if (!everLive) {
            events.onFirstSessionReady();
        } else if (live == null) {
            switchTo(leg, null);
        } else {
            maybeSwitch();
        }
    }

    // ---- switching ----

    private void switchTo(RealtimeLeg next, String oldEndReason) {
        RealtimeLeg old = live;
        long now = events.positionMs();
        if (old != null) {
            periods.add(period(old, now, oldEndReason));
            old.state(RealtimeLeg.State.DRAINING);
            scheduler.schedule(old::close, DRAIN_NANOS);
        }
        standby = null;
        live = next;
        next.state(RealtimeLeg.State.LIVE);
        // The first session goes live as the call answers and takes the caller's audio from sample 0 on.
        next.liveFromMs(everLive ? now : 0);
        String reason = !everLive ? "initial" : old != null ? "rollover" : "reconnect";
        everLive = true;
        recovering = false;
        failedAttempts = 0;
        cancel(retryTimer);
        if (next.index() > 0) {
            for (ClientEvent.ConversationItem item : events.context(policy.contextMaxChars())) {
                next.send(new ClientEvent.ConversationItemCreate(item));
            }
        }
        for (PendingInput.Piece piece = pending.poll(); piece != null; piece = pending.poll()) {
            next.append(piece.pcm(), 0, piece.pcm().length, piece.position());
        }
        scheduleRollover(next);
        if (next.index() > 0) {
            LOG.log(Level.INFO, "call {0}: {1} is live at {2} ms ({3})", callId, next, String.valueOf(now), reason);
        }
        events.onSwitched(reason);
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
        if (closed || live != leg || standby != null) {
            return;
        }
        LOG.log(Level.INFO, "call {0}: {1} expires at {2}; opening the next session", callId, leg,
                String.valueOf(leg.expiresAt()));
        failedAttempts = 0;
        standby = connect();
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
        if (closed || prior == RealtimeLeg.State.DRAINING) {
            return;
        }
        if (leg == live) {
            liveFailed(leg, code, detail, fatal);
        } else if (leg == standby) {
            standbyFailed(code + ": " + detail, fatal);
        }
    }

    private void liveFailed(RealtimeLeg leg, String code, String detail, boolean fatal) {
        String why = code + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        LOG.log(Level.WARNING, "call {0}: {1} ended: {2}", callId, leg, why);
        periods.add(period(leg, events.positionMs(), code));
        live = null;
        cancel(rolloverTimer);
        if (fatal || policy.reconnectAttempts() == 0 && (standby == null || !standby.usable())) {
            events.onLost(why);
            return;
        }
        recovering = true;
        if (standby != null && standby.state() == RealtimeLeg.State.READY) {
            switchTo(standby, null);
        } else if (standby == null) {
            failedAttempts = 0;
            standby = connect();
        }
    }

    private void standbyFailed(String why, boolean fatal) {
        standby = null;
        if (!everLive) {
            events.onLost(why);
            return;
        }
        failedAttempts++;
        LOG.log(Level.WARNING, "call {0}: opening a Realtime session failed (attempt {1} of {2}): {3}", callId,
                String.valueOf(failedAttempts), String.valueOf(policy.reconnectAttempts()), why);
        if (fatal || failedAttempts >= policy.reconnectAttempts()) {
            if (recovering) {
                events.onLost("no Realtime session after " + failedAttempts + " attempts: " + why);
            }
            return;
        }
        long backoff = policy.reconnectBackoffMs() << Math.min(failedAttempts - 1, 16);
        retryTimer = scheduler.schedule(() -> {
            if (!closed && standby == null && (recovering || live != null)) {
                standby = connect();
            }
        }, CallTimeline.msToNanos(backoff));
    }

    // ---- session callbacks ----

    void onEvent(RealtimeLeg leg, ServerEvent event) {
        try {
            if (event instanceof ServerEvent.SessionCreated created) {
                leg.session(created.sessionId(), created.expiresAt());
                if (leg.live()) {
                    scheduleRollover(leg);
                }
            } else if (event instanceof ServerEvent.SessionUpdated updated) {
                leg.session(updated.sessionId(), updated.expiresAt());
                if (leg.live()) {
                    scheduleRollover(leg);
                } else {
                    ready(leg);
                }
            } else if (event instanceof ServerEvent.ErrorEvent error && SESSION_EXPIRED.equals(error.code())) {
                failed(leg, SESSION_EXPIRED, error.message(), false);
            } else if (leg.live() || leg.state() == RealtimeLeg.State.DRAINING && isTranscript(event)) {
                events.onServerEvent(leg, event);
                if (switchWanted()) {
                    maybeSwitch();
                }
            }
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

    void onClosed(RealtimeLeg leg, int code, String reason) {
        try {
            if (leg.state() == RealtimeLeg.State.DRAINING) {
                leg.state(RealtimeLeg.State.CLOSED);
                return;
            }
            failed(leg, code < 0 ? "connection_lost" : "closed_" + code, reason, FATAL_CLOSE_CODES.contains(code));
        } catch (RuntimeException e) {
            events.onFault(e);
        }
    }

    private static boolean isTranscript(ServerEvent event) {
        return event instanceof ServerEvent.InputTranscriptionCompleted
                || event instanceof ServerEvent.OutputAudioTranscriptDone;
    }

    private static SessionPeriod period(RealtimeLeg leg, long endMs, String reason) {
        return new SessionPeriod(leg.index(), leg.sessionId(), Math.max(0, leg.liveFromMs()), endMs, reason);
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
