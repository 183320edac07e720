package gateway.library;

import java.util.List;

/** A call.json as read for the index: its summary and the text of every turn, for word search. */
record CallDocument(IndexedCall call, List<String> turnTexts) {
}
