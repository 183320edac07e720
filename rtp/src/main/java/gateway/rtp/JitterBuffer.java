package gateway.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The packets of the caller's stream that arrived ahead of a missing one, held by extended sequence number until it
 * arrives or its wait is over ({@link PlayoutDelay}). Slots are indexed by sequence number modulo {@link #SLOTS}, so
 * the held packets must lie within {@link #SLOTS} of the next one to play (the inbound path plays or conceals the
 * oldest first to make room). Payloads are copied into one array allocated the first time a packet has to wait: a
 * call on a clean network never holds one. Call's loop only; allocation-free after that first wait.
 */
final class JitterBuffer {

    /** 32 packets: 640 ms of 20 ms packets, more than the deepest wait plus the packets that arrive meanwhile. */
    static final int SLOTS = 32;
    /** Largest payload held: 60 ms of G.711. A larger packet is only ever played in order. */
    static final int MAX_PAYLOAD = 480;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] sequence = new long[SLOTS];
    private final long[] timestamp = new long[SLOTS];
    private final long[] arrival = new long[SLOTS];
    private final int[] length = new int[SLOTS];
    private final byte[] format = new byte[SLOTS];
    private ByteBuf payloads;
    private int count;

    JitterBuffer() {
        Arrays.fill(sequence, EMPTY);
    }

    private static int slot(long seq) {
        return (int) (seq & (SLOTS - 1));
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean holds(long seq) {
        return sequence[slot(seq)] == seq;
    }

    /**
     * Holds a packet; false when its payload is larger than {@link #MAX_PAYLOAD} or its slot holds another packet
     * (the caller keeps the window). A packet already held is not stored again.
     */
    boolean store(long seq, long ts, int packetFormat, ByteBuf buf, int off, int len, long arrivalNanos) {
        int i = slot(seq);
        if (len > MAX_PAYLOAD || (sequence[i] != EMPTY && sequence[i] != seq)) {
            return false;
        }
        if (sequence[i] == seq) {
            return true;
        }
        if (payloads == null) {
            payloads = Unpooled.wrappedBuffer(new byte[SLOTS * MAX_PAYLOAD]);
        }
        payloads.setBytes(i * MAX_PAYLOAD, buf, off, len);
        sequence[i] = seq;
        timestamp[i] = ts;
        arrival[i] = arrivalNanos;
        length[i] = len;
        format[i] = (byte) packetFormat;
        count++;
        return true;
    }

    /** The lowest sequence number held; {@link Long#MAX_VALUE} when empty. */
    long earliest() {
        long min = Long.MAX_VALUE;
        if (count > 0) {
            for (long s : sequence) {
                if (s != EMPTY && s < min) {
                    min = s;
                }
            }
        }
        return min;
    }

    long timestamp(long seq) {
        return timestamp[slot(seq)];
    }

    long arrival(long seq) {
        return arrival[slot(seq)];
    }

    int length(long seq) {
        return length[slot(seq)];
    }

    int format(long seq) {
        return format[slot(seq)];
    }

    /** The buffer holding every payload; {@link #payloadOffset} is where one starts. */
    ByteBuf payloads() {
        return payloads;
    }

    int payloadOffset(long seq) {
        return slot(seq) * MAX_PAYLOAD;
    }

    void remove(long seq) {
        int i = slot(seq);
        if (sequence[i] == seq) {
            sequence[i] = EMPTY;
            count--;
        }
    }
}
