package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recordings.redact.*}: card numbers on by default, named patterns from YAML or a JSON flag. */
class RedactConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig.Redact load(String yaml, String... flags) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        List<String> args = new ArrayList<>(List.of("--config", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(args, Map.of()).recordings().redact();
    }

    private String refused(String yaml, String... flags) {
        return assertThrows(ConfigException.class, () -> load(yaml, flags)).getMessage();
    }

    @Test
    void cardsAreMaskedByDefaultAndNoPatternIsSet() throws Exception {
        GatewayConfig.Redact redact = load("");
        assertTrue(redact.cards());
        assertEquals(List.of(), redact.patterns());
        assertFalse(load("recordings:\n  redact:\n    cards: false\n").cards());
    }

    @Test
    void patternsComeFromYamlOrAJsonFlagInOrder() throws Exception {
        GatewayConfig.Redact redact = load("recordings:\n  redact:\n    patterns:\n"
                + "      - {name: ssn, regex: '\\b\\d{3}-\\d{2}-\\d{4}\\b'}\n"
                + "      - {name: email, regex: '[\\w.]+@[\\w.]+'}\n");
        assertEquals(List.of("ssn", "email"), redact.patterns().stream().map(GatewayConfig.RedactPattern::name)
                .toList());
        assertTrue(redact.patterns().get(0).regex().matcher("it is 123-45-6789").find());
        GatewayConfig.Redact flagged = load("",
                "--recordings.redact.patterns=[{\"name\":\"iban\",\"regex\":\"[A-Z]{2}\\\\d{2}[A-Z0-9]{11,30}\"}]");
        assertTrue(flagged.patterns().getFirst().regex().matcher("DE89370400440532013000").matches());
    }

    @Test
    void badEntriesNameTheirElement() {
        assertEquals("recordings.redact.patterns[0].regex: not a valid regex: Unclosed group",
                refused("recordings:\n  redact:\n    patterns:\n      - {name: x, regex: '(ab'}\n"));
        assertEquals("recordings.redact.patterns[0].regex: matches empty text; it must match at least one"
                + " character", refused("recordings:\n  redact:\n    patterns:\n      - {name: x, regex: 'a*'}\n"));
        assertEquals("recordings.redact.patterns[0].name: must be 1-32 lower-case letters, digits, '_' or '-'",
                refused("recordings:\n  redact:\n    patterns:\n      - {name: 'Bad Name', regex: 'a'}\n"));
        assertEquals("recordings.redact.patterns[1].name: 'x' is listed twice",
                refused("recordings:\n  redact:\n    patterns:\n      - {name: x, regex: a}\n"
                        + "      - {name: x, regex: b}\n"));
        assertEquals("recordings.redact.patterns[0].flags: unknown field (known: name, regex)",
                refused("recordings:\n  redact:\n    patterns:\n      - {name: x, regex: a, flags: i}\n"));
        assertEquals("recordings.redact.patterns: must be a list of {name, regex}",
                refused("recordings:\n  redact:\n    patterns: {name: x}\n"));
        assertTrue(refused("recordings:\n  redact:\n    cards: maybe\n").startsWith("recordings.redact.cards:"));
    }
}
