package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.library.CallQuality;
import gateway.rtp.RtpSession;
import gateway.rtp.RtpStreamSpec;

/**
 * The call's RTP leg: one {@link RtpSession} on the call's loop and the port it holds. The negotiated stream can be
 * replaced while the call runs ({@link #update}); closing gives the port back. Call's loop only.
 */
final class RtpMediaLeg implements MediaLeg {

    private final RtpSession session;
    private final int port;
    private final Runnable releasePort;
    private RtpStreamSpec spec;
    private boolean closed;

    RtpMediaLeg(RtpSession session, int port, RtpStreamSpec spec, Runnable releasePort) {
        this.session = session;
        this.port = port;
        this.spec = spec;
        this.releasePort = releasePort;
    }

    @Override
    public int port() {
        return port;
    }

    RtpSession session() {
        return session;
    }

    RtpStreamSpec spec() {
        return spec;
    }

    @Override
    public void start(long answerNanos) {
        session.start(answerNanos);
    }

    @Override
    public void update(RtpStreamSpec next) {
        if (!closed && !next.equals(spec)) {
            spec = next;
            session.update(next);
        }
    }

    @Override
    public void playoutReady() {
        if (!closed) {
            session.playoutReady();
        }
    }

    @Override
    public long lastReceiveNanos() {
        return session.lastReceiveNanos();
    }

    @Override
    public boolean sendDigits(String keys, int durationMs) {
        return session.sendDigits(keys, durationMs);
    }

    @Override
    public CallQuality quality() {
        return CallQualities.of(session.quality());
    }

    @Override
    public void countInto(GatewayMetrics metrics) {
        metrics.rtpTotals(session);
        metrics.callQuality(quality());
    }

    /** Closes the socket and gives the port back; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.close();
        releasePort.run();
    }
}
