package gateway.rtp;

import gateway.time.CallTimeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where on the call's timeline caller audio was concealed, as stretches: a loss that starts within
 * {@link #MERGE_SAMPLES} of the previous stretch's end extends it, so a burst of scattered losses is one stretch.
 * Bounded: past {@link #MAX_STRETCHES} the last stretch grows to cover every later loss. Call's loop only; allocates
 * only when it needs more room (rarely: losses close together merge).
 */
final class LossLog {

    /** Losses closer than one second are one stretch. */
    static final long MERGE_SAMPLES = CallTimeline.SAMPLE_RATE;
    static final int MAX_STRETCHES = 1_000;
    private static final int INITIAL = 8;

    /** One stretch: positions on the 24 kHz timeline and the packets concealed in it. */
    record Stretch(long startPosition, long endPosition, long packets) {
    }

    private long[] start = new long[INITIAL];
    private long[] end = new long[INITIAL];
    private long[] packets = new long[INITIAL];
    private int count;

    /** {@code lost} packets were concealed over [{@code from}, {@code to}) on the timeline. */
    void lost(long from, long to, long lost) {
        if (count > 0 && (from - end[count - 1] <= MERGE_SAMPLES || count == MAX_STRETCHES)) {
            end[count - 1] = Math.max(end[count - 1], to);
            packets[count - 1] += lost;
            return;
        }
        if (count == start.length) {
            int size = Math.min(MAX_STRETCHES, count * 2);
            start = Arrays.copyOf(start, size);
            end = Arrays.copyOf(end, size);
            packets = Arrays.copyOf(packets, size);
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
