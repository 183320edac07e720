package gateway.library;

import java.util.Objects;

/**
 * One masked span of a stored transcript, as call.json lists it (never the text that was there): the turn's
 * {@code itemId}, what was found ({@code kind}: {@value TranscriptRedactor#CARD} or a configured pattern's name), and
 * where the mask sits in the turn's stored text, {@code [startChar, endChar)} in UTF-16 units.
 */
public record Redaction(String itemId, String kind, int startChar, int endChar) {

    public Redaction {
        Objects.requireNonNull(kind, "kind");
        if (startChar < 0 || endChar < startChar) {
            throw new IllegalArgumentException("bad span [" + startChar + ", " + endChar + ")");
        }
    }
}
