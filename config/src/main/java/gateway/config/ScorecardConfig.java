package gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code qa.scorecard}: a mapping of an optional {@code title} and {@code criteria}, a list of {id, label,
 * kind: pass_fail|scale_1_5, weight, comment-required}. Every problem names the element, e.g.
 * {@code qa.scorecard.criteria[2].kind}.
 */
final class ScorecardConfig {

    /** More questions than a reviewer answers per call. */
    static final int MAX_CRITERIA = 50;
    /** A label is a short question; the page shows it on one line. */
    static final int MAX_LABEL_CHARS = 200;
    static final double MAX_WEIGHT = 1000;
    private static final Set<String> FIELDS = Set.of("title", "criteria");
    private static final Set<String> CRITERION_FIELDS = Set.of("id", "label", "kind", "weight", "comment-required");
    private static final Set<String> KINDS = Set.of("pass_fail", "scale_1_5");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private ScorecardConfig() {
    }

    static GatewayConfig.Scorecard parse(Map<ConfigKey, String> v) throws ConfigException {
        String key = ConfigKey.QA_SCORECARD.key();
        JsonNode root = ConfigLoader.structured(ConfigKey.QA_SCORECARD, v.get(ConfigKey.QA_SCORECARD));
        if (root.isMissingNode() || root.isNull()) {
            return new GatewayConfig.Scorecard("", List.of());
        }
        if (!root.isObject()) {
            throw new ConfigException(key, "must be a mapping of title and criteria");
        }
        unknownFields(root, FIELDS, key);
        JsonNode title = root.path("title");
        if (!title.isMissingNode() && (!title.isTextual() || title.asText().length() > MAX_LABEL_CHARS)) {
            throw new ConfigException(key + ".title", "must be a text of at most " + MAX_LABEL_CHARS
                    + " characters");
        }
        JsonNode list = root.path("criteria");
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_CRITERIA) {
            throw new ConfigException(key + ".criteria", "must be a list of 1 to " + MAX_CRITERIA
                    + " criteria {id, label, kind, weight, comment-required}");
        }
        List<GatewayConfig.Criterion> criteria = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            criteria.add(criterion(list.get(i), key + ".criteria[" + i + "]", ids));
        }
        return new GatewayConfig.Scorecard(title.asText(""), criteria);
    }

    private static GatewayConfig.Criterion criterion(JsonNode entry, String at, Set<String> ids)
            throws ConfigException {
        if (!entry.isObject()) {
            throw new ConfigException(at, "must be a mapping of id, label, kind, weight, comment-required");
        }
        unknownFields(entry, CRITERION_FIELDS, at);
        String id = entry.path("id").asText("");
        if (!entry.path("id").isTextual() || !ID.matcher(id).matches()) {
            throw new ConfigException(at + ".id", "must be 1-64 lower-case letters, digits, '_' or '-'");
        }
        if (!ids.add(id)) {
            throw new ConfigException(at + ".id", "'" + id + "' is listed twice");
        }
        JsonNode label = entry.path("label");
        if (!label.isTextual() || label.asText().isBlank() || label.asText().length() > MAX_LABEL_CHARS) {
            throw new ConfigException(at + ".label", "must be a text of 1 to " + MAX_LABEL_CHARS + " characters");
        }
        String kind = entry.path("kind").asText("");
        if (!KINDS.contains(kind)) {
            throw new ConfigException(at + ".kind", "must be pass_fail or scale_1_5");
        }
        JsonNode weight = entry.path("weight");
        double w = weight.isMissingNode() ? 1 : weight.isNumber() ? weight.asDouble() : Double.NaN;
        if (!(w > 0 && w <= MAX_WEIGHT)) {
            throw new ConfigException(at + ".weight", "must be a number above 0 and at most " + (int) MAX_WEIGHT);
        }
        JsonNode required = entry.path("comment-required");
        if (!required.isMissingNode() && !required.isBoolean()) {
            throw new ConfigException(at + ".comment-required", "must be true or false");
        }
        return new GatewayConfig.Criterion(id, label.asText().strip(), kind, w, required.asBoolean(false));
    }

    private static void unknownFields(JsonNode node, Set<String> known, String at) throws ConfigException {
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!known.contains(field)) {
                throw new ConfigException(at + "." + field, "unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
