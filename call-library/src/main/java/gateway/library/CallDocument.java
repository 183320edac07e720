package gateway.library;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A call.json as the index keeps it: its summary and the text of every turn, for word search. */
record CallDocument(IndexedCall call, List<String> turnTexts) {

    /** Longest list excerpt: about two lines of a list page. */
    static final int EXCERPT_CHARS = 160;
    private static final String ELLIPSIS = "…";
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** The index's view of {@code record}, without a review. */
    static CallDocument of(CallRecord record) {
        return of(record, null);
    }

    /** The index's view of {@code record} and its {@code review} summary (null: none). */
    static CallDocument of(CallRecord record, ReviewSummary review) {
        List<String> texts = new ArrayList<>();
        StringBuilder excerpt = new StringBuilder();
        boolean excerptFull = false;
        List<Turn> turns = record.log().turns();
        for (Turn turn : turns) {
            if (turn.text().isBlank()) {
                continue;
            }
            texts.add(turn.text());
            if (!excerptFull) {
                String oneLine = SPACES.matcher(turn.text()).replaceAll(" ").strip();
                excerptFull = appendExcerpt(excerpt, turn.role().label(), oneLine);
            }
        }
        CallMetadata meta = record.meta();
        IndexedCall call = new IndexedCall(meta.id(), meta.sipCallId(), meta.from(), meta.to(), meta.startedAt(),
                record.endedAt(), record.durationMs(), record.codec(), record.endReason(), turns.size(),
                record.log().holds().size(), record.log().sessions().size(), record.complete(), excerpt.toString(),
                record.analytics(), meta.profile(),
                record.log().earlyMedia() == null || record.log().earlyMedia().answered(), review,
                meta.replay() == null ? null : meta.replay().callId());
        return new CallDocument(call, texts);
    }

    /**
     * Adds "Label: text", cutting at a word boundary and marking the cut when it would pass
     * {@link #EXCERPT_CHARS}; returns true once the excerpt is full.
     */
    private static boolean appendExcerpt(StringBuilder excerpt, String label, String text) {
        if (excerpt.length() > 0) {
            excerpt.append(' ');
        }
        excerpt.append(label).append(": ").append(text);
        if (excerpt.length() <= EXCERPT_CHARS) {
            return excerpt.length() == EXCERPT_CHARS;
        }
        int room = EXCERPT_CHARS - ELLIPSIS.length();
        int cut = excerpt.lastIndexOf(" ", room);
        excerpt.setLength(cut > 0 ? cut : room);
        excerpt.append(ELLIPSIS);
        return true;
    }
}
