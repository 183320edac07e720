package gateway.rtp;

import gateway.time.CallTimeline;
import java.util.ArrayList;
import java.util.List;

/**
 * Where on the call's timeline caller audio was concealed, as stretches: a loss that starts within
 * {@link #MERGE_SAMPLES} of the previous stretch's end extends it, so a burst of scattered losses is one stretch.
 * Bounded: past {@link #MAX_STRETCHES} the last stretch grows to cover every later loss. Call's loop only; its
 * arrays (6 KB) are allocated at the first loss, so a clean call holds none and a lossy one allocates nothing more.
 */
final class LossLog {

    /** Losses closer than one second are one stretch. */
    static final long MERGE_SAMPLES = CallTimeline.SAMPLE_RATE;
    /** Enough for a long call with a loss every few seconds; a page that marks more would show only noise. */
    static final int MAX_STRETCHES = 256;

    /** One stretch: positions on the 24 kHz timeline and the packets concealed in it. */
    record Stretch(long startPosition, long endPosition, long packets) {
    }

    private long[] start;
    private long[] end;
    private long[] packets;
    private int count;

    /** {@code lost} packets were concealed over [{@code from}, {@code to}) on the timeline. */
    void lost(long from, long to, long lost) {
        if (count > 0 && (from - end[count - 1] <= MERGE_SAMPLES || count == MAX_STRETCHES)) {
            end[count - 1] = Math.max(end[count - 1], to);
            packets[count - 1] += lost;
            return;
        }
        if (start == null) {
            start = new long[MAX_STRETCHES];
            end = new long[MAX_STRETCHES];
            packets = new long[MAX_STRETCHES];
        }
        start[count] = from;
        end[count] = to;
        packets[count] = lost;
        count++;
    }

    /** The stretches so far, oldest first. */
    List<Stretch> stretches() {
        List<Stretch> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new Stretch(start[i], end[i], packets[i]));
        }
        return List.copyOf(list);
    }
}
