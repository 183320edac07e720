package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;

/**
 * The caller's key presses from its RFC 4733 telephone-event packets: one digit per event, reported once. An event
 * is one (SSRC, timestamp) pair (§2.5.1.1: every packet of an event carries its start timestamp); its updates and the
 * three retransmitted end packets (§2.5.1.4) are folded into it, and a packet of an event older than the current
 * one (reordered) is dropped. A digit is reported at its first end packet, or, when every end packet was lost, when
 * the next event starts or {@link #END_TIMEOUT_NANOS} after its last packet ({@link #onTick}). Its position is the
 * arrival of its first packet on the call's timeline; its duration is the longest the packets gave.
 *
 * <p>Call's loop only; allocation-free. Events that are not DTMF (flash, §3.2 event 16) are ignored.
 */
final class TelephoneEventReceiver {

    /**
     * An event with no packet for this long (250 ms) has ended though no end packet came: senders update at least
     * every 50 ms (§2.5.1.2) and the end is sent three times, so all of them were lost.
     */
    static final long END_TIMEOUT_NANOS = 250_000_000L;

    private final MediaListener listener;
    private boolean any;
    private long ssrc;
    private long timestamp;
    private char digit;
    private int duration;
    private boolean reported = true;
    private long startPosition;
    private long lastArrival;

    TelephoneEventReceiver(MediaListener listener) {
        this.listener = listener;
    }

    /**
     * A telephone-event packet that passed {@link RtpPacket#check}, which arrived at timeline position
     * {@code position} (the scheduler's {@code arrivalNanos}); payloads shorter than §2.3's are ignored.
     */
    void receive(ByteBuf buf, int off, int len, long position, long arrivalNanos) {
        if (RtpPacket.payloadLength(buf, off, len) < TelephoneEvent.LENGTH) {
            return;
        }
        int payload = RtpPacket.payloadOffset(buf, off);
        long packetSsrc = RtpPacket.ssrc(buf, off);
        long packetTimestamp = RtpPacket.timestamp(buf, off);
        boolean end = TelephoneEvent.end(buf, payload);
        int packetDuration = TelephoneEvent.duration(buf, payload);
        if (any && packetSsrc == ssrc) {
            int age = RtpTimestamps.difference(packetTimestamp, timestamp);
            if (age == 0) {
                update(end, packetDuration, arrivalNanos);
                return;
            }
            if (age < 0) {
                return; // a late packet of an event already past
            }
        }
        endUnfinished();
        any = true;
        ssrc = packetSsrc;
        timestamp = packetTimestamp;
        digit = TelephoneEvent.digit(TelephoneEvent.event(buf, payload));
        duration = 0;
        reported = digit == 0;
        startPosition = position;
        update(end, packetDuration, arrivalNanos);
    }

    /** Reports an event whose packets stopped without an end packet. */
    void onTick(long nowNanos) {
        if (!reported && nowNanos - lastArrival >= END_TIMEOUT_NANOS) {
            report();
        }
    }

    private void update(boolean end, int packetDuration, long arrivalNanos) {
        if (reported) {
            return;
        }
        duration = Math.max(duration, packetDuration);
        lastArrival = arrivalNanos;
        if (end) {
            report();
        }
    }

    private void endUnfinished() {
        if (!reported) {
            report();
        }
    }

    private void report() {
        reported = true;
        listener.onCallerDigit(digit, startPosition, CallTimeline.rtpUnitsToSamples(duration));
    }
}
