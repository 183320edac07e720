package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instructions' template: its placeholders, one-pass rendering, and what it refuses. */
class InstructionTemplateTest {

    private static final Map<String, List<String>> HEADERS = Map.of(
            "x-customer-id", List.of("C-42"),
            "diversion", List.of("<sip:100@pbx>;reason=busy", "<sip:200@pbx>;reason=no-answer"));

    private static String render(String template, String from, String to) {
        return InstructionTemplate.parse(template, List.of("X-Customer-Id", "Diversion", "User-to-User"))
                .render(from, to, name -> HEADERS.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()));
    }

    @Test
    void placeholdersAreFilledFromTheCall() {
        assertEquals("Caller sip:alice@example.com called sip:1001@gw; customer C-42.",
                render("Caller {{from}} called {{to}}; customer {{header.x-customer-id}}.", "sip:alice@example.com",
                        "sip:1001@gw"));
        assertEquals("Diverted by <sip:100@pbx>;reason=busy, <sip:200@pbx>;reason=no-answer",
                render("Diverted by {{header.Diversion}}", null, null), "several values are joined");
    }

    @Test
    void aMissingHeaderOrAddressRendersEmpty() {
        assertEquals("uui=, from=", render("uui={{header.User-to-User}}, from={{from}}", null, "x"));
    }

    @Test
    void aValueIsNeverReadAsAPlaceholder() {
        assertEquals("From {{to}} to B", render("From {{from}} to {{to}}", "{{to}}", "B"));
    }

    @Test
    void textWithoutPlaceholdersIsKeptAsIs() {
        InstructionTemplate plain = InstructionTemplate.parse("Be brief. {not a placeholder}", List.of());
        assertFalse(plain.hasPlaceholders());
        assertEquals("Be brief. {not a placeholder}", plain.render("a", "b", name -> List.of()));
        assertTrue(InstructionTemplate.parse("{{to}}", List.of()).hasPlaceholders());
    }

    @Test
    void unknownUnlistedAndUnclosedPlaceholdersAreRefused() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InstructionTemplate.parse("Hi {{caller}}", List.of("X-A")));
        assertEquals("unknown placeholder {{caller}} (known: {{from}}, {{to}}, {{header.x-a}})", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InstructionTemplate.parse("{{header.X-B}}", List.of("X-A")));
        assertThrows(IllegalArgumentException.class, () -> InstructionTemplate.parse("{{ from }}", List.of()));
        assertThrows(IllegalArgumentException.class, () -> InstructionTemplate.parse("Hi {{from", List.of()));
    }
}
