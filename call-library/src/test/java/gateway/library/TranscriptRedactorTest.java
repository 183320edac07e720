package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TranscriptRedactorTest {

    private static final TranscriptRedactor.NamedPattern SSN =
            new TranscriptRedactor.NamedPattern("ssn", Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"));
    private static final TranscriptRedactor.NamedPattern EMAIL =
            new TranscriptRedactor.NamedPattern("email", Pattern.compile("[\\w.]+@\\w+(\\.\\w+)+"));

    @Test
    void masksSitWhereTheResultSaysInTheNewText() {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of(SSN, EMAIL));
        TranscriptRedactor.Result r = redactor.redact(
                "Card 4111 1111 1111 1111, SSN 123-45-6789, mail a.b@example.com.", true);
        assertEquals("Card [redacted:card], SSN [redacted:ssn], mail [redacted:email].", r.text());
        assertEquals(List.of(new TranscriptRedactor.Mask("card", 5, 20), new TranscriptRedactor.Mask("ssn", 26, 40),
                new TranscriptRedactor.Mask("email", 47, 63)), r.masks());
        for (TranscriptRedactor.Mask mask : r.masks()) {
            assertEquals(TranscriptRedactor.mask(mask.kind()), r.text().substring(mask.start(), mask.end()));
        }
    }

    @Test
    void overlappingFindsBecomeOneMaskOfTheFirstKind() {
        TranscriptRedactor redactor = new TranscriptRedactor(true,
                List.of(new TranscriptRedactor.NamedPattern("digits", Pattern.compile("\\d{4} \\d{4}"))));
        assertEquals("pay [redacted:card] now", redactor.redact("pay 4111 1111 1111 1111 now", true).text());
    }

    @Test
    void cardsCanBeSwitchedOffPatternsStillApply() {
        TranscriptRedactor redactor = new TranscriptRedactor(false, List.of(SSN));
        assertEquals("4111111111111111 [redacted:ssn]", redactor.redact("4111111111111111 123-45-6789", true).text());
    }

    @Test
    void aCardSplitAcrossTwoDeltasIsCaughtOnTheTextSoFar() {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of());
        String first = "Your card is 4111 1111 ";
        assertEquals("Your card is [redacted:card] ", redactor.redact(first, false).text());
        assertEquals("Your card is [redacted:card], right?",
                redactor.redact(first + "1111 1111, right?", true).text());
    }

    @Test
    void noneMasksNothing() {
        assertEquals("4111111111111111", TranscriptRedactor.NONE.redact("4111111111111111", true).text());
    }
}
