package gateway.library;

import java.util.Arrays;

/**
 * A call's distinct word ids, ascending, stored as gaps in a variable-length byte code (7 bits a byte, high bit set
 * on all but the last byte of a number): about 1.2 bytes a word where an int array takes 4, which keeps 100,000
 * calls' worth small. Immutable.
 */
final class WordSet {

    static final WordSet EMPTY = new WordSet(new byte[0]);
    private static final int LOW_BITS = 0x7F;
    private static final int MORE = 0x80;

    private final byte[] gaps;

    private WordSet(byte[] gaps) {
        this.gaps = gaps;
    }

    /** The set of the first {@code n} ids of {@code ids} (any order, duplicates allowed); sorts them in place. */
    static WordSet of(int[] ids, int n) {
        Arrays.sort(ids, 0, n);
        byte[] out = new byte[n * 5];
        int length = 0;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            if (ids[i] == previous) {
                continue;
            }
            int gap = ids[i] - previous;
            previous = ids[i];
            while (gap > LOW_BITS) {
                out[length++] = (byte) (gap & LOW_BITS | MORE);
                gap >>>= 7;
            }
            out[length++] = (byte) gap;
        }
        return new WordSet(Arrays.copyOf(out, length));
    }

    /** True when every id of {@code wanted} (ascending, distinct) is in the set. */
    boolean containsAll(int[] wanted) {
        int w = 0;
        int id = -1;
        int i = 0;
        while (w < wanted.length) {
            if (i >= gaps.length) {
                return false;
            }
            int gap = 0;
            int shift = 0;
            byte b;
            do {
                b = gaps[i++];
                gap |= (b & LOW_BITS) << shift;
                shift += 7;
            } while ((b & MORE) != 0);
            id += gap;
            if (id == wanted[w]) {
                w++;
            } else if (id > wanted[w]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes held. */
    int bytes() {
        return gaps.length;
    }
}
