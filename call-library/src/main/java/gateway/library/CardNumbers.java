package gateway.library;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds payment card numbers in transcript text: runs of 13 to 19 digits (ISO/IEC 7812-1 primary account numbers)
 * whose check digit is right (the Luhn formula, ISO/IEC 7812-1 Annex B), written as digits, with spaces, dashes,
 * commas or dots between them, spoken as words ("four one one one", "oh" or "zero" for 0, "double four" for 44,
 * "triple one" for 111), as tens and teens ("forty-one eleven" for 4111), as hundreds ("four hundred", "four hundred
 * and eleven", "forty-one hundred") or any mix of those. Thousands ("four thousand one hundred eleven") are not
 * read: nobody reads a card that way, and amounts said so would run into the digits around them. Stateless.
 */
final class CardNumbers {

    /** The shortest primary account number (ISO/IEC 7812-1 §4). */
    static final int MIN_DIGITS = 13;
    /** The longest primary account number (ISO/IEC 7812-1 §4). */
    static final int MAX_DIGITS = 19;
    /** An unfinished text whose last run has at least this many digits may be a card number being read out. */
    static final int OPEN_RUN_DIGITS = 4;

    private static final Map<String, Integer> DIGIT_WORDS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("oh", 0), Map.entry("o", 0), Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9));
    private static final Map<String, Integer> TEENS = Map.of("ten", 10, "eleven", 11, "twelve", 12, "thirteen", 13,
            "fourteen", 14, "fifteen", 15, "sixteen", 16, "seventeen", 17, "eighteen", 18, "nineteen", 19);
    private static final Map<String, Integer> TENS = Map.of("twenty", 2, "thirty", 3, "forty", 4, "fifty", 5,
            "sixty", 6, "seventy", 7, "eighty", 8, "ninety", 9);
    private static final Map<String, Integer> REPEATS = Map.of("double", 2, "triple", 3);
    private static final String HUNDRED = "hundred";
    private static final String AND = "and";

    private CardNumbers() {
    }

    /** A found span of the text, {@code [start, end)}. */
    record Span(int start, int end) {
    }

    /**
     * The card numbers in {@code text}, in order. When {@code complete} is false the text is still growing (a
     * reply's transcript so far): a run of {@value #OPEN_RUN_DIGITS} or more digits at its end is taken too, since
     * the rest of a card number may be on its way.
     */
    static List<Span> find(String text, boolean complete) {
        List<Span> found = new ArrayList<>();
        List<Digit> run = new ArrayList<>();
        Scanner scanner = new Scanner(text);
        while (scanner.next()) {
            if (scanner.digits.isEmpty()) {
                cards(run, found, false);
                run.clear();
                continue;
            }
            run.addAll(scanner.digits);
        }
        cards(run, found, !complete && !run.isEmpty());
        return found;
    }

    /** True when the Luhn check digit of {@code digits[from, from + length)} (the last one) is right. */
    static boolean luhn(int[] digits, int from, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int d = digits[from + length - 1 - i];
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /**
     * Adds the card numbers of one run. A number starts and ends where a group of the run does (a group is what was
     * written without a break, "4111", or one spoken word), so "4111 1111 1111 1112" is not searched for a shorter
     * valid number inside it; the longest valid numbers are taken first, never one starting with 0 (no payment card
     * does, and a leading "oh" is more likely an exclamation). With {@code open} the run ends an unfinished text
     * and what follows its last card is taken as well.
     */
    private static void cards(List<Digit> run, List<Span> found, boolean open) {
        int n = run.size();
        if (n < MIN_DIGITS) { // most runs, one for every word that says no digit: no card, maybe an open tail
            if (open && n >= OPEN_RUN_DIGITS) {
                found.add(new Span(run.getFirst().start, run.getLast().end));
            }
            return;
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = run.get(i).value;
        }
        boolean[] taken = new boolean[n];
        List<Span> cards = new ArrayList<>();
        for (int length = Math.min(MAX_DIGITS, n); length >= MIN_DIGITS; length--) {
            for (int from = 0; from + length <= n; from++) {
                int to = from + length;
                if (values[from] != 0 && run.get(from).groupStart && (to == n || run.get(to).groupStart)
                        && free(taken, from, to) && luhn(values, from, length)) {
                    Arrays.fill(taken, from, to, true);
                    cards.add(new Span(run.get(from).start, run.get(to - 1).end));
                }
            }
        }
        cards.sort(Comparator.comparingInt(Span::start));
        found.addAll(cards);
        if (open) {
            int tail = n;
            while (tail > 0 && !taken[tail - 1]) {
                tail--;
            }
            if (n - tail >= OPEN_RUN_DIGITS) {
                found.add(new Span(run.get(tail).start, run.getLast().end));
            }
        }
    }

    private static boolean free(boolean[] taken, int from, int to) {
        for (int i = from; i < to; i++) {
            if (taken[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code text[from, to)} holds only what may stand between the digits of one number. */
    private static boolean separatorsOnly(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '-' && c != ',' && c != '.' && c != '\u2010' && c != '\u2011'
                    && c != '\u2013' && c != '\u2014') {
                return false;
            }
        }
        return true;
    }

    /** One digit of a run, the characters that said it, and whether a group of the run starts with it. */
    private record Digit(int value, int start, int end, boolean groupStart) {
    }

    /**
     * Walks the text token by token: a digit character, a word (letters and apostrophes) or any other character.
     * After {@link #next} a token that says digits has them in {@link #digits}; any other token leaves it empty.
     * "double" and "triple" are read together with the digit that follows them, a spoken number ("forty-one",
     * "four hundred and eleven") as one token whose digits are its decimal figures.
     */
    private static final class Scanner {
        private final String text;
        private final List<Digit> digits = new ArrayList<>(3);
        private int position;
        private int start;
        private int end;

        Scanner(String text) {
            this.text = text;
        }

        /** Reads the next token that is not a separator; false at the end of the text. */
        boolean next() {
            digits.clear();
            while (position < text.length() && separatorsOnly(text, position, position + 1)) {
                position++;
            }
            if (position >= text.length()) {
                return false;
            }
            start = position;
            char c = text.charAt(position);
            if (c >= '0' && c <= '9') {
                position++;
                end = position;
                boolean afterDigit = start > 0 && text.charAt(start - 1) >= '0' && text.charAt(start - 1) <= '9';
                digits.add(new Digit(c - '0', start, end, !afterDigit));
                return true;
            }
            if (!Character.isLetter(c)) {
                position++;
                end = position;
                return true;
            }
            String word = word();
            end = position;
            Integer repeat = REPEATS.get(word);
            if (repeat != null) {
                int after = position;
                int value = followingDigit();
                if (value < 0) {
                    position = after;
                    return true;
                }
                for (int i = 0; i < repeat; i++) {
                    digits.add(new Digit(value, start, end, i == 0));
                }
                return true;
            }
            Integer value = DIGIT_WORDS.get(word);
            int number = TEENS.getOrDefault(word, -1);
            Integer tens = TENS.get(word);
            if (tens != null) {
                number = tens * 10 + Math.max(0, takeUnit());
            }
            int hundreds = number > 0 ? number : value != null ? value : 0;
            if (hundreds > 0 && take(HUNDRED)) {
                number = hundreds * 100 + Math.max(0, belowHundredAfterAnd());
            }
            if (number > 0) {
                String figures = Integer.toString(number);
                for (int i = 0; i < figures.length(); i++) {
                    digits.add(new Digit(figures.charAt(i) - '0', start, end, i == 0));
                }
            } else if (value != null) {
                digits.add(new Digit(value, start, end, true));
            }
            return true;
        }

        /** After "hundred": "and" (optional) and a number from 1 to 99, consumed; -1 (nothing consumed) without one. */
        private int belowHundredAfterAnd() {
            int mark = position;
            int markEnd = end;
            take(AND);
            int value = TEENS.getOrDefault(peekWord(), -1);
            if (value > 0) {
                takeWord();
                return value;
            }
            Integer tens = TENS.get(peekWord());
            if (tens != null) {
                takeWord();
                return tens * 10 + Math.max(0, takeUnit());
            }
            int unit = takeUnit();
            if (unit > 0) {
                return unit;
            }
            position = mark;
            end = markEnd;
            return -1;
        }

        /** The next word when it says a digit from 1 to 9, consumed; -1 (nothing consumed) otherwise. */
        private int takeUnit() {
            Integer value = DIGIT_WORDS.get(peekWord());
            if (value == null || value == 0) {
                return -1;
            }
            takeWord();
            return value;
        }

        /** Consumes the next word when it is {@code expected}; true if it was. */
        private boolean take(String expected) {
            if (!expected.equals(peekWord())) {
                return false;
            }
            takeWord();
            return true;
        }

        /** The next token after separators when it is a word, lower case; "" otherwise. Consumes nothing. */
        private String peekWord() {
            int mark = position;
            while (position < text.length() && separatorsOnly(text, position, position + 1)) {
                position++;
            }
            String word = position < text.length() && Character.isLetter(text.charAt(position)) ? word() : "";
            position = mark;
            return word;
        }

        /** Consumes the word {@link #peekWord} saw, moving the token's end past it. */
        private void takeWord() {
            while (position < text.length() && separatorsOnly(text, position, position + 1)) {
                position++;
            }
            word();
            end = position;
        }

        /** The word at the position, lower case, with the position moved past it. */
        private String word() {
            int from = position;
            while (position < text.length()
                    && (Character.isLetter(text.charAt(position)) || text.charAt(position) == '\'')) {
                position++;
            }
            return text.substring(from, position).toLowerCase(Locale.ROOT);
        }

        /** The digit said by the next token after separators (moving the end past it), or -1 when it says none. */
        private int followingDigit() {
            while (position < text.length() && separatorsOnly(text, position, position + 1)) {
                position++;
            }
            if (position >= text.length()) {
                return -1;
            }
            char c = text.charAt(position);
            if (c >= '0' && c <= '9') {
                position++;
                end = position;
                return c - '0';
            }
            if (!Character.isLetter(c)) {
                return -1;
            }
            Integer value = DIGIT_WORDS.get(word());
            if (value == null) {
                return -1;
            }
            end = position;
            return value;
        }
    }
}
