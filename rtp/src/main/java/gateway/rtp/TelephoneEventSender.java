package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;

/**
 * Key presses sent to the caller as RFC 4733 telephone-events, one pacer tick at a time: each digit is one event
 * whose packets all carry the timestamp of its first tick (§2.5.1.1), the first one with the marker bit (§2.5.1.3),
 * the duration growing by a packet time per tick (§2.5.1.2), and the end packet (E bit) sent three times on
 * consecutive ticks (§2.5.1.4); then {@link #GAP_MS} of silence before the next digit. Agent audio waits meanwhile:
 * {@link #busy()} tells the outbound path not to ask for it.
 *
 * <p>Call's loop only; allocation-free (the queue is a fixed ring of {@link #CAPACITY} digits).
 */
final class TelephoneEventSender {

    /** Digits queued at most; more are refused. */
    static final int CAPACITY = 64;
    /** The shortest and longest key press we send: 40 ms (DTMF receivers need about 40) to 2 s. */
    static final int MIN_DURATION_MS = 40;
    static final int MAX_DURATION_MS = 2_000;
    /** The silence between two digits: 80 ms, above the 40 ms pause DTMF receivers need. */
    static final int GAP_MS = 80;
    /** Each end packet is sent this many times (§2.5.1.4). */
    static final int END_PACKETS = 3;

    private final char[] digits = new char[CAPACITY];
    private final int[] durationsMs = new int[CAPACITY];
    private final MediaListener listener;
    private int head;
    private int size;
    /** Ticks into the digit at the head (0 = its first packet), or into the gap after it. */
    private int tick;
    private int eventTicks;
    private long eventTimestamp;

    TelephoneEventSender(MediaListener listener) {
        this.listener = listener;
    }

    /** Queues {@code keys} (0-9, *, #, A-D), each held {@code durationMs}; false, and nothing queued, if refused. */
    boolean offer(CharSequence keys, int durationMs) {
        if (size + keys.length() > CAPACITY || durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
            return false;
        }
        for (int i = 0; i < keys.length(); i++) {
            if (TelephoneEvent.code(keys.charAt(i)) < 0) {
                return false;
            }
        }
        for (int i = 0; i < keys.length(); i++) {
            int at = (head + size) % CAPACITY;
            digits[at] = Character.toUpperCase(keys.charAt(i));
            durationsMs[at] = durationMs;
            size++;
        }
        return true;
    }

    /** True while a digit, its end packets or the gap after it is being sent: no agent audio meanwhile. */
    boolean busy() {
        return size > 0;
    }

    /**
     * One tick of the digit at the head, {@code position} being the tick's first sample: an event packet, or a
     * silent audio packet in the gap, written to {@code out} through {@code packetizer}; with {@code out} null
     * (hold, no address, a busy socket) the tick passes, and the caller moves the packetizer's clock on. Call only
     * while {@link #busy()}.
     */
    void tick(RtpPacketizer packetizer, int eventPayloadType, short[] silence, ByteBuf out, long position) {
        int frameUnits = packetizer.frameBytes();
        if (tick == 0) {
            eventTicks = Math.max(1, Math.ceilDiv(unitsOf(durationsMs[head]), frameUnits));
            eventTimestamp = packetizer.nextTimestamp();
            listener.onDigitSent(digits[head], position,
                    CallTimeline.rtpUnitsToSamples((long) eventTicks * frameUnits));
        }
        int lastEventTick = eventTicks - 1 + END_PACKETS - 1; // the first end packet is the last update
        if (tick <= lastEventTick) {
            if (out != null) {
                boolean end = tick >= eventTicks - 1;
                int duration = Math.min(tick + 1, eventTicks) * frameUnits;
                packetizer.writeEvent(out, tick == 0, eventPayloadType, eventTimestamp,
                        TelephoneEvent.code(digits[head]), end, duration);
                packetizer.skipFrames(1);
            }
        } else if (out != null) {
            packetizer.writePacket(silence, false, out);
        }
        tick++;
        if (tick > lastEventTick + Math.ceilDiv(unitsOf(GAP_MS), frameUnits)) {
            head = (head + 1) % CAPACITY;
            size--;
            tick = 0;
        }
    }

    private static int unitsOf(int ms) {
        return ms * CallTimeline.RTP_CLOCK_RATE / 1000;
    }
}
