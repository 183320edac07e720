package gateway.demoagent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How one connection's session ends by itself: at its maximum age (docs/realtime-protocol.md §5.5), or earlier by
 * the fault its script gives it ({@link DemoFault}: an early expiry, a close frame, a dropped TCP connection).
 *
 * <p>Threading: armed and cancelled on the connection's event loop.
 */
final class ScriptedFaults {

    /** RFC 6455 §7.4.1: going away, what the service closes an expired session with (§5.5). */
    static final int CLOSE_GOING_AWAY = 1001;
    /** The service's words at expiry (§5.5), also the close reason; fixed whatever the scripted session length. */
    static final String SESSION_EXPIRED_MESSAGE = "Your session hit the maximum duration of 60 minutes.";
    private static final long MS_PER_SECOND = 1000;

    private final DemoFault fault;
    private final long lifetimeMs;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    ScriptedFaults(DemoScript script, int connection) {
        this.fault = script.faultOf(connection);
        this.lifetimeMs = fault instanceof DemoFault.Expire expire ? expire.afterMs()
                : script.sessionSeconds() * MS_PER_SECOND;
    }

    /** From the upgrade to the session's expiry. */
    long lifetimeMs() {
        return lifetimeMs;
    }

    /** {@code session.expires_at} for a session opened at {@code openedEpochMs}: rounded up, never before the end. */
    long expiresAt(long openedEpochMs) {
        return -Math.floorDiv(-(openedEpochMs + lifetimeMs), MS_PER_SECOND);
    }

    /** Schedules the expiry and the scripted fault on {@code loop}, from now. */
    void arm(ScheduledExecutorService loop, AgentSocket socket) {
        timers.add(loop.schedule(() -> expire(socket), lifetimeMs, TimeUnit.MILLISECONDS));
        if (fault != null && !(fault instanceof DemoFault.Expire) && !atUpgrade(fault)) {
            strike(fault, loop, socket);            // an Expire's moment is the expiry above
        }
    }

    /** Schedules {@code f} on {@code loop}, {@link DemoFault#afterMs()} from now. */
    void strike(DemoFault f, ScheduledExecutorService loop, AgentSocket socket) {
        Runnable end = switch (f) {
            case DemoFault.Expire expire -> () -> expire(socket);
            case DemoFault.Close close -> () -> socket.close(close.code(),
                    "scripted close after " + close.afterMs() + " ms");
            case DemoFault.Drop drop -> () -> socket.drop("dropped after " + drop.afterMs() + " ms");
            case DemoFault.Silent silent -> socket::hang;
            case DemoFault.Send send -> () -> socket.sendText(send.text());
            case DemoFault.Oversized big -> () -> socket.sendText(oversized(big.bytes()));
            case DemoFault.Refuse refuse -> throw new IllegalArgumentException("a refusal answers the upgrade");
            case DemoFault.Hold hold -> throw new IllegalArgumentException("a hold keeps the upgrade unanswered");
        };
        timers.add(loop.schedule(end, f.afterMs(), TimeUnit.MILLISECONDS));
    }

    /** True for the faults that strike at the upgrade, before a session exists. */
    static boolean atUpgrade(DemoFault f) {
        return f instanceof DemoFault.Refuse || f instanceof DemoFault.Hold;
    }

    /** A well-formed {@code response.output_text.delta} of exactly {@code bytes} bytes (ASCII padding). */
    static String oversized(int bytes) {
        String head = "{\"type\":\"response.output_text.delta\",\"response_id\":\"resp_oversized\",\"delta\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    /** §5.5: {@code session_expired}, then a close with 1001 and the same words. */
    private static void expire(AgentSocket socket) {
        socket.send(DemoEvents.error("session_expired", SESSION_EXPIRED_MESSAGE, null, null));
        socket.close(CLOSE_GOING_AWAY, SESSION_EXPIRED_MESSAGE);
    }

    void cancel() {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
    }
}
