package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void wordsAreRunsOfLettersAndDigitsInLowerCase() {
        assertEquals(List.of("hello", "my", "order", "is", "a1234", "ok"), Words.of("Hello, my ORDER is A1234. OK?"));
    }

    @Test
    void anApostropheInsideAWordStaysAndATypographicOneBecomesPlain() {
        assertEquals(List.of("don't", "won't"), Words.of("Don't won\u2019t"));
        assertEquals(List.of("tis", "rock'n'roll"), Words.of("'tis rock'n'roll'"));
    }

    @Test
    void lettersOfOtherScriptsCountAndPunctuationAloneHasNoWords() {
        assertEquals(List.of("straße", "café", "東京"), Words.of("Straße — CAFÉ, 東京!"));
        assertEquals(List.of(), Words.of(" ,.;!? -- "));
    }
}
