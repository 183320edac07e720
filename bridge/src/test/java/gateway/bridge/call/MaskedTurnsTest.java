package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.Redaction;
import gateway.library.Role;
import gateway.library.TranscriptRedactor;
import gateway.library.Turn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedTurnsTest {

    private final MaskedTurns masked = new MaskedTurns(new TranscriptRedactor(true, List.of()));

    @Test
    void turnsAreMaskedAndTheirSpansListedByItemNeverWithTheText() {
        Turn caller = new Turn(Role.CALLER, 1_000, 4_000, "It's 4111 1111 1111 1111.", "item-1", false);
        Turn clean = new Turn(Role.ASSISTANT, 5_000, 6_000, "Thanks.", "item-2", false);
        Turn growing = new Turn(Role.ASSISTANT, 7_000, 8_000, "I read 5555 5555", "item-3", true);
        List<Redaction> spans = new ArrayList<>();
        List<Turn> out = masked.mask(List.of(caller, clean, growing), t -> t == growing, spans);
        assertEquals("It's [redacted:card].", out.get(0).text());
        assertSame(clean, out.get(1));
        assertEquals("I read [redacted:card]", out.get(2).text());
        assertEquals(List.of(new Redaction("item-1", "card", 5, 20), new Redaction("item-3", "card", 7, 22)), spans);
        assertEquals(1_000, out.get(0).startMs());
        assertTrue(out.get(2).interrupted());
    }

    @Test
    void aTextIsMaskedAgainOnlyWhenItChanges() {
        Turn first = new Turn(Role.ASSISTANT, 0, 1_000, "I read 5555 5555", "a1", false);
        Turn same = masked.mask(List.of(first), t -> true, new ArrayList<>()).getFirst();
        assertSame(same.text(), masked.mask(List.of(first), t -> true, new ArrayList<>()).getFirst().text(),
                "the same text, still growing: the result remembered");
        assertEquals("I read 5555 5555", masked.mask(List.of(first), t -> false, new ArrayList<>()).getFirst().text(),
                "the same text, now whole: eight digits are no card");
        Turn grown = new Turn(Role.ASSISTANT, 0, 1_000, "I read 5555 5555 5555 4444", "a1", false);
        assertEquals("I read [redacted:card]", masked.mask(List.of(grown), t -> false, new ArrayList<>()).getFirst()
                .text());
    }

    @Test
    void withNothingToMaskTheTurnsAreHandedBackAsTheyAre() {
        List<Turn> said = List.of(new Turn(Role.CALLER, 0, 100, "4111111111111111", "u1", false));
        assertSame(said, new MaskedTurns(TranscriptRedactor.NONE).mask(said, t -> false, new ArrayList<>()));
    }
}
