package gateway.library;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits text into lower-case words for search: runs of letters and digits, with an apostrophe kept inside a word
 * ("don't", typographic ’ read as '). The same rule splits transcripts and queries, so a query word matches the
 * same word in any case.
 */
final class Words {

    private static final char APOSTROPHE = '\'';
    private static final char TYPOGRAPHIC_APOSTROPHE = '\u2019';
    private static final int ASCII = 128;
    /** Letters and digits of ASCII, looked up without a Unicode table: most transcripts are mostly ASCII. */
    private static final boolean[] ASCII_WORD = new boolean[ASCII];

    static {
        for (int c = 0; c < ASCII; c++) {
            ASCII_WORD[c] = Character.isLetterOrDigit(c);
        }
    }

    private Words() {
    }

    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        forEach(text, words::add);
        return words;
    }

    /** Gives each word of {@code text} to {@code sink}, in order: one lower-casing of the text, one string per word. */
    static void forEach(String text, Consumer<String> sink) {
        String lower = text.toLowerCase(Locale.ROOT).replace(TYPOGRAPHIC_APOSTROPHE, APOSTROPHE);
        int start = -1;
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean inWord = wordChar(cp)
                    || (cp == APOSTROPHE && start >= 0 && next < lower.length() && wordChar(lower.codePointAt(next)));
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                sink.accept(lower.substring(start, i));
                start = -1;
            }
            i = next;
        }
        if (start >= 0) {
            sink.accept(lower.substring(start));
        }
    }

    private static boolean wordChar(int cp) {
        return cp < ASCII ? ASCII_WORD[cp] : Character.isLetterOrDigit(cp);
    }
}
