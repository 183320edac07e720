package gateway.bridge.call;

import gateway.library.Redaction;
import gateway.library.TranscriptRedactor;
import gateway.library.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One call's turns as they are stored: masked by the {@link TranscriptRedactor}, each text redacted once and
 * remembered by item until it changes, so the log built at every checkpoint does not scan the whole call again.
 * Call's loop only.
 */
final class MaskedTurns {

    private final TranscriptRedactor redactor;
    private final Map<String, Masked> byItem = new HashMap<>();

    MaskedTurns(TranscriptRedactor redactor) {
        this.redactor = redactor;
    }

    /** A text of an item, whether it was still growing, and what it became. */
    private record Masked(String said, boolean growing, TranscriptRedactor.Result result) {
    }

    /**
     * The turns with their texts masked; {@code growing} tells which texts are still only a reply's deltas. The
     * masks are added to {@code redactions} by the turn's item id, never with the text that was there.
     */
    List<Turn> mask(List<Turn> turns, Predicate<Turn> growing, List<Redaction> redactions) {
        if (!redactor.active()) {
            return turns;
        }
        List<Turn> out = new ArrayList<>(turns.size());
        for (Turn turn : turns) {
            TranscriptRedactor.Result r = masked(turn, growing.test(turn));
            for (TranscriptRedactor.Mask mask : r.masks()) {
                redactions.add(new Redaction(turn.itemId(), mask.kind(), mask.start(), mask.end()));
            }
            out.add(r.masks().isEmpty() ? turn
                    : new Turn(turn.role(), turn.startMs(), turn.endMs(), r.text(), turn.itemId(), turn.interrupted()));
        }
        return out;
    }

    private TranscriptRedactor.Result masked(Turn turn, boolean growing) {
        if (turn.itemId() == null) {
            return redactor.redact(turn.text(), !growing);
        }
        Masked known = byItem.get(turn.itemId());
        if (known != null && known.growing == growing && known.said.equals(turn.text())) {
            return known.result;
        }
        TranscriptRedactor.Result r = redactor.redact(turn.text(), !growing);
        byItem.put(turn.itemId(), new Masked(turn.text(), growing, r));
        return r;
    }
}
