package gateway.bridge.call;

import gateway.rtp.RtpSession;
import gateway.rtp.RtpStreamSpec;

/**
 * The call's RTP leg: one {@link RtpSession} on the call's loop and the port it holds. The negotiated stream can be
 * replaced while the call runs ({@link #update}); closing gives the port back. Call's loop only.
 */
final class MediaLeg {

    private final RtpSession session;
    private final int port;
    private final Runnable releasePort;
    private RtpStreamSpec spec;
    private boolean closed;

    MediaLeg(RtpSession session, int port, RtpStreamSpec spec, Runnable releasePort) {
        this.session = session;
        this.port = port;
        this.spec = spec;
        this.releasePort = releasePort;
    }

    /** The local RTP port put in our SDP. */
    int port() {
        return port;
    }

    RtpSession session() {
        return session;
    }

    RtpStreamSpec spec() {
        return spec;
    }

    /** Sets sample 0 of the call timeline and starts pacing. */
    void start(long answerNanos) {
        session.start(answerNanos);
    }

    /** Applies a new negotiated stream (re-INVITE, UPDATE, the answer to a late offer); same spec: nothing. */
    void update(RtpStreamSpec next) {
        if (!closed && !next.equals(spec)) {
            spec = next;
            session.update(next);
        }
    }

    /** Agent audio has just become available: start its talkspurt without waiting for the next tick. */
    void playoutReady() {
        if (!closed) {
            session.playoutReady();
        }
    }

    /** Arrival time of the packet being handled (for the inbound latency figure). */
    long lastReceiveNanos() {
        return session.lastReceiveNanos();
    }

    /** Closes the socket and gives the port back; idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.close();
        releasePort.run();
    }
}
