package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code recordings.redact.cards} and {@code recordings.redact.patterns} (a list of {name, regex}). */
final class RedactConfig {

    private static final Set<String> FIELDS = Set.of("name", "regex");
    /** A name goes into the mask {@code [redacted:<name>]} and into call.json, so it is a plain word. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private RedactConfig() {
    }

    static GatewayConfig.Redact parse(Map<ConfigKey, String> v) throws ConfigException {
        boolean cards = ConfigLoader.bool(ConfigKey.RECORDINGS_REDACT_CARDS, v);
        String key = ConfigKey.RECORDINGS_REDACT_PATTERNS.key();
        JsonNode list = ConfigLoader.structured(ConfigKey.RECORDINGS_REDACT_PATTERNS,
                v.get(ConfigKey.RECORDINGS_REDACT_PATTERNS));
        if (list.isMissingNode() || list.isNull()) {
            return new GatewayConfig.Redact(cards, List.of());
        }
        if (!list.isArray()) {
            throw new ConfigException(key, "must be a list of {name, regex}");
        }
        List<GatewayConfig.RedactPattern> patterns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new ConfigException(at, "must be a mapping of name and regex");
            }
            for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    throw new ConfigException(at + "." + field, "unknown field (known: name, regex)");
                }
            }
            String name = entry.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(at + ".name", "must be 1-32 lower-case letters, digits, '_' or '-'");
            }
            if (!names.add(name)) {
                throw new ConfigException(at + ".name", "'" + name + "' is listed twice");
            }
            String text = entry.path("regex").asText("");
            Pattern regex;
            try {
                regex = Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(at + ".regex", "not a valid regex: " + e.getDescription());
            }
            if (regex.matcher("").matches()) {
                throw new ConfigException(at + ".regex", "matches empty text; it must match at least one character");
            }
            patterns.add(new GatewayConfig.RedactPattern(name, regex));
        }
        return new GatewayConfig.Redact(cards, patterns);
    }
}
