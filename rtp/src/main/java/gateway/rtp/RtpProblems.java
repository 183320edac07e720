package gateway.rtp;

import gateway.time.Clock;
import gateway.time.Throttle;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * What goes wrong in one RTP session, in one place. Bad input and ticks that cannot be sent are counted in
 * {@link RtpStats} and logged at most once per {@link #WARNING_INTERVAL_NANOS} for each kind, with the number held
 * back since the previous line. An exception that escapes the session's packet or tick handling is its fault: the
 * session stops (see {@link #stopWith}) and the listener hears of it once through {@link MediaListener#onMediaFault}.
 * Event loop only; counting and held-back reports allocate nothing.
 */
final class RtpProblems {

    /**
     * One line per kind of problem per 10 s: a fault that repeats per packet (50 a second) logs one line instead of
     * 500, and a thousand calls with the same problem log at most 100 lines a second.
     */
    static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final RtpStats stats;
    private final MediaListener listener;
    private final System.Logger log;
    private final Throttle malformed;
    private final Throttle malformedRtcp;
    private final Throttle unexpectedPayloadType;
    private final Throttle notReceiving;
    private final Throttle sendBusy;
    private final Throttle noRemote;
    private Runnable stop = () -> { };
    private boolean faulted;

    /**
     * @param label names the session in log lines (its local port)
     * @param clock the event loop's clock, for the throttles
     */
    RtpProblems(String label, RtpStats stats, MediaListener listener, Clock clock, System.Logger log) {
        this.label = label;
        this.stats = stats;
        this.listener = listener;
        this.log = log;
        this.malformed = new Throttle(clock, WARNING_INTERVAL_NANOS);
        this.malformedRtcp = new Throttle(clock, WARNING_INTERVAL_NANOS);
        this.unexpectedPayloadType = new Throttle(clock, WARNING_INTERVAL_NANOS);
        this.notReceiving = new Throttle(clock, WARNING_INTERVAL_NANOS);
        this.sendBusy = new Throttle(clock, WARNING_INTERVAL_NANOS);
        this.noRemote = new Throttle(clock, WARNING_INTERVAL_NANOS);
    }

    /** What a fault runs to stop the session (its pacer leaving the wheel); set once the session is built. */
    void stopWith(Runnable stop) {
        this.stop = stop;
    }

    /** A datagram that is not valid RTP (RFC 3550 §5.1): dropped. */
    void malformed(Object reason, InetSocketAddress sender) {
        stats.malformed++;
        long held = report(malformed, Level.WARNING);
        if (held >= 0) {
            log.log(Level.WARNING, label + ": malformed RTP datagram from " + sender + " (" + reason + ")"
                    + heldBack(held));
        }
    }

    /** A datagram on the RTCP port (or multiplexed) that is not a valid compound packet (RFC 3550 A.2): dropped. */
    void malformedRtcp(Object reason, InetSocketAddress sender) {
        stats.malformed++;
        long held = report(malformedRtcp, Level.WARNING);
        if (held >= 0) {
            log.log(Level.WARNING, label + ": malformed RTCP datagram from " + sender + " (" + reason + ")"
                    + heldBack(held));
        }
    }

    /** A valid packet whose payload type is neither the negotiated audio nor telephone-event: dropped. */
    void unexpectedPayloadType(int payloadType, InetSocketAddress sender) {
        stats.packetsIgnored++;
        long held = report(unexpectedPayloadType, Level.WARNING);
        if (held >= 0) {
            log.log(Level.WARNING, label + ": RTP payload type " + payloadType + " from " + sender
                    + " was not negotiated; packet ignored" + heldBack(held));
        }
    }

    /** A valid packet while the stream does not receive (sendonly or inactive, RFC 3264 §6.1): dropped. */
    void notReceiving() {
        stats.packetsNotReceiving++;
        long held = report(notReceiving, Level.DEBUG);
        if (held >= 0) {
            log.log(Level.DEBUG, label + ": RTP received while the stream does not receive; dropped" + heldBack(held));
        }
    }

    /** A tick whose packet could not be written because the previous one is still queued in the socket. */
    void sendBusy() {
        stats.sendsBusy++;
        listener.onSendBusy();
        long held = report(sendBusy, Level.WARNING);
        if (held >= 0) {
            log.log(Level.WARNING, label + ": previous RTP packet still queued in the socket; tick not sent"
                    + heldBack(held));
        }
    }

    /** A tick with nowhere to go: no SDP address (late offer, c=0.0.0.0) and nothing latched yet. */
    void noRemote() {
        stats.sendsNoRemote++;
        long held = report(noRemote, Level.DEBUG);
        if (held >= 0) {
            log.log(Level.DEBUG, label + ": no remote RTP address yet; tick not sent" + heldBack(held));
        }
    }

    /** True once the session has stopped on a fault. */
    boolean faulted() {
        return faulted;
    }

    /**
     * Stops the session on its first fault and reports it to the listener; later faults are ignored. Never throws:
     * whatever the listener's handler throws is logged.
     */
    void fault(Throwable error) {
        if (faulted) {
            return;
        }
        faulted = true;
        stop.run();
        log.log(Level.WARNING, label + ": media stopped by a fault: " + error);
        try {
            listener.onMediaFault(error);
        } catch (Throwable e) {
            e.addSuppressed(error);
            log.log(Level.ERROR, label + ": the listener failed handling a media fault", e);
        }
    }

    /** Whether to write a line now: the number held back before it, or -1 to hold this one back. */
    private long report(Throttle throttle, Level level) {
        return log.isLoggable(level) ? throttle.tryReport() : -1;
    }

    private static String heldBack(long held) {
        return held == 0 ? "" : " (" + held + " more held back since the previous line)";
    }
}
