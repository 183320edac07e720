package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CardNumbersTest {

    private static final TranscriptRedactor CARDS = new TranscriptRedactor(true, List.of());

    /** What a stored transcript reads after redaction, given what the service transcribed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain Visa                  | My card is 4111111111111111.             | My card is [redacted:card].
            grouped with spaces         | It's 4111 1111 1111 1111, thanks.        | It's [redacted:card], thanks.
            grouped with dashes         | 5555-5555-5555-4444                      | [redacted:card]
            Amex 15 digits              | amex 3782 822463 10005 ok                | amex [redacted:card] ok
            13 digits                   | old visa 4222222222222                   | old visa [redacted:card]
            19 digits                   | 4000 0000 0000 0000 006 done             | [redacted:card] done
            Luhn wrong: kept            | 4111 1111 1111 1112                      | 4111 1111 1111 1112
            too short: kept             | call 12345678903 now                     | call 12345678903 now
            phone number kept           | ring +1 415 555 0100 please              | ring +1 415 555 0100 please
            mixed digits and words      | it is 4111 one one one one 1111 one one one one ok | it is [redacted:card] ok
            mixed with double           | 5555 double five 55 5555 double four 44 | [redacted:card]
            words break the run         | 4111 1111 and then 1111 1111             | 4111 1111 and then 1111 1111
            two cards                   | 4111111111111111 or 5555555555554444     | [redacted:card] or [redacted:card]
            card inside longer run      | 7 4111 1111 1111 1111                    | 7 [redacted:card]
            leading oh not masked       | Oh, 4111 1111 1111 1111                  | Oh, [redacted:card]
            someone is not one          | someone someone 4111 1111                | someone someone 4111 1111
            double without digit        | double check 4111 1111                   | double check 4111 1111
            no digits                   | Hello, how can I help?                   | Hello, how can I help?
            """)
    void masksLuhnValidCardNumbers(String why, String said, String stored) {
        assertEquals(stored, CARDS.redact(said, true).text(), why);
    }

    static Stream<Arguments> spoken() {
        return Stream.of(
                Arguments.of("spoken", "four one one one one one one one one one one one one one one one",
                        "[redacted:card]"),
                Arguments.of("spoken capitalised, commas",
                        "Four, one, one, one, one, one, one, one, one, one, one, one, one, one, one, one.",
                        "[redacted:card]."),
                Arguments.of("spoken with oh", "six oh one one one one one one one one one one one one one seven",
                        "[redacted:card]"),
                Arguments.of("spoken with zero", "six zero one one one one one one one one one one one one one seven",
                        "[redacted:card]"),
                Arguments.of("spoken double and triple",
                        "double five five five five five five five five five five five triple four four",
                        "[redacted:card]"),
                Arguments.of("spoken twelve digits kept", "four one one one one one one one one one one two",
                        "four one one one one one one one one one one two"));
    }

    /** Spoken numbers, alone or mixed with digits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("spoken")
    void masksSpokenCardNumbers(String why, String said, String stored) {
        assertEquals(stored, CARDS.redact(said, true).text(), why);
    }

    /** Numbers said as tens, teens and hundreds, alone or mixed with digit words and digits. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pairs                 | forty-one eleven eleven eleven eleven eleven eleven eleven | [redacted:card]
            pairs without hyphens | card forty one eleven, eleven eleven, eleven eleven, eleven eleven please \
            | card [redacted:card] please
            Mastercard in pairs   | fifty-five fifty-five fifty-five fifty-five fifty-five fifty-five forty-four \
            forty-four | [redacted:card]
            Amex with ten and ohs | thirty-seven eighty-two eighty-two twenty-four sixty-three ten oh oh five \
            | [redacted:card]
            Discover with teens   | six oh eleven eleven eleven eleven eleven eleven seventeen | [redacted:card]
            mixed with digits     | It's 4111 eleven eleven 1111 one one one one. | It's [redacted:card].
            hundreds              | four hundred eleven one one one one one one one one one one one one one \
            | [redacted:card]
            hundreds and          | forty-one hundred and eleven, 1111, eleven eleven, 11 11 | [redacted:card]
            Luhn wrong: kept      | forty-one eleven eleven eleven eleven eleven eleven twelve \
            | forty-one eleven eleven eleven eleven eleven eleven twelve
            twelve digits: kept   | forty-one eleven eleven eleven eleven eleven \
            | forty-one eleven eleven eleven eleven eleven
            thousands not read    | four thousand one hundred eleven, eleven eleven, eleven eleven, eleven eleven \
            | four thousand one hundred eleven, eleven eleven, eleven eleven, eleven eleven
            an amount: kept       | I paid two hundred and fifty for twenty one items \
            | I paid two hundred and fifty for twenty one items
            and without a number  | one hundred and then 4111 1111 1111 1111 | one hundred and then [redacted:card]
            """)
    void masksCardNumbersSaidAsTensAndHundreds(String why, String said, String stored) {
        assertEquals(stored, CARDS.redact(said, true).text(), why);
    }

    @Test
    void aSpokenNumberIsOneGroupSoNoCardStartsInsideIt() {
        List<TranscriptRedactor.Mask> masks = CARDS.redact("ninety-four 4111 1111 1111 1111", true).masks();
        assertEquals(List.of(new TranscriptRedactor.Mask("card", 12, 27)), masks, "94 is no part of the card");
        assertEquals("Your card [redacted:card]", CARDS.redact("Your card forty-one eleven", false).text(),
                "four digits said as pairs at the end of a growing text may be a card");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            trailing digits may be a card | Your card 4111 1111                    | Your card [redacted:card]
            spoken trailing digits        | Your card four one one one             | Your card [redacted:card]
            three digits are not          | Room 123                               | Room 123
            after a whole card            | 4111111111111111 and 5555 5555         | [redacted:card] and [redacted:card]
            """)
    void aTextStillGrowingHidesTrailingDigits(String why, String said, String stored) {
        assertEquals(stored, CARDS.redact(said, false).text(), why);
    }

    @ParameterizedTest
    @CsvSource({"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4222222222222",
            "4000000000000000006", "79927398713"})
    void luhnAcceptsValidNumbers(String number) {
        assertTrue(CardNumbers.luhn(digits(number), 0, number.length()));
    }

    @ParameterizedTest
    @CsvSource({"4111111111111112", "1234567812345678", "79927398710", "6200000000000000009"})
    void luhnRefusesWrongCheckDigits(String number) {
        assertFalse(CardNumbers.luhn(digits(number), 0, number.length()));
    }

    private static int[] digits(String number) {
        return number.chars().map(c -> c - '0').toArray();
    }
}
