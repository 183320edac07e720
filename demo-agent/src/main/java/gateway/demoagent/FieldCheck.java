package gateway.demoagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Checks one JSON field of a client event and refuses it as the service does (docs/realtime-protocol.md §7): the
 * code names the kind of mistake, {@code param} the field's dotted path, the message is worded like the service's.
 */
final class FieldCheck {

    /** How a message names what was sent instead, by Jackson node type. */
    private static final Map<JsonNodeType, String> KINDS = Map.of(JsonNodeType.STRING, "a string",
            JsonNodeType.NUMBER, "a number", JsonNodeType.BOOLEAN, "a boolean", JsonNodeType.ARRAY, "an array",
            JsonNodeType.OBJECT, "an object", JsonNodeType.NULL, "null");

    private FieldCheck() {
    }

    /** Refuses any field of {@code object} not in {@code known}: {@code unknown_parameter}. */
    static void onlyKnown(JsonNode object, String path, Collection<String> known) throws InvalidEvent {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String param = join(path, name);
                throw new InvalidEvent("unknown_parameter", param, "Unknown parameter: '" + param + "'.");
            }
        }
    }

    /** The field's value; absent or null is {@code missing_required_parameter}. */
    static JsonNode required(JsonNode object, String path, String field) throws InvalidEvent {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            String param = join(path, field);
            throw new InvalidEvent("missing_required_parameter", param, "Missing required parameter: '" + param
                    + "'.");
        }
        return value;
    }

    /** The value as an object. */
    static JsonNode object(JsonNode value, String path) throws InvalidEvent {
        return expect(value, value.isObject(), path, "an object");
    }

    /** The value as an array. */
    static JsonNode array(JsonNode value, String path) throws InvalidEvent {
        return expect(value, value.isArray(), path, "an array");
    }

    static String string(JsonNode value, String path) throws InvalidEvent {
        return expect(value, value.isTextual(), path, "a string").asText();
    }

    /** A string of at most {@code maxLength} characters: longer is {@code string_above_max_length}. */
    static String string(JsonNode value, String path, int maxLength) throws InvalidEvent {
        String s = string(value, path);
        if (s.length() > maxLength) {
            throw new InvalidEvent("string_above_max_length", path, "Invalid '" + path + "': string too long."
                    + " Expected a string with maximum length " + maxLength + ", but got a string with length "
                    + s.length() + " instead.");
        }
        return s;
    }

    static boolean bool(JsonNode value, String path) throws InvalidEvent {
        return expect(value, value.isBoolean(), path, "a boolean").asBoolean();
    }

    /** A whole number in {@code [min, max]}: {@code integer_below_min_value} / {@code integer_above_max_value}. */
    static long integer(JsonNode value, String path, long min, long max) throws InvalidEvent {
        long n = expect(value, value.isIntegralNumber() && value.canConvertToLong(), path, "an integer").asLong();
        if (n < min) {
            throw new InvalidEvent("integer_below_min_value", path, "Invalid '" + path + "': integer below minimum"
                    + " value. Expected a value >= " + min + ", but got " + n + " instead.");
        }
        if (n > max) {
            throw new InvalidEvent("integer_above_max_value", path, "Invalid '" + path + "': integer above maximum"
                    + " value. Expected a value <= " + max + ", but got " + n + " instead.");
        }
        return n;
    }

    /** A number in {@code [min, max]}: {@code decimal_below_min_value} / {@code decimal_above_max_value}. */
    static double decimal(JsonNode value, String path, double min, double max) throws InvalidEvent {
        double d = expect(value, value.isNumber(), path, "a number").asDouble();
        if (d < min) {
            throw new InvalidEvent("decimal_below_min_value", path, "Invalid '" + path + "': decimal below minimum"
                    + " value. Expected a value >= " + plain(min) + ", but got " + plain(d) + " instead.");
        }
        if (d > max) {
            throw new InvalidEvent("decimal_above_max_value", path, "Invalid '" + path + "': decimal above maximum"
                    + " value. Expected a value <= " + plain(max) + ", but got " + plain(d) + " instead.");
        }
        return d;
    }

    /** A string that must be one of {@code allowed}: else {@code invalid_value} listing them. */
    static String oneOf(JsonNode value, String path, Collection<String> allowed) throws InvalidEvent {
        String s = string(value, path);
        if (!allowed.contains(s)) {
            throw new InvalidEvent("invalid_value", path, "Invalid value: '" + s + "'. Supported values are: "
                    + listed(allowed) + ".");
        }
        return s;
    }

    /** {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b', and 'c'}: how the service lists allowed values. */
    static String listed(Collection<String> values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (String v : values) {
            if (i > 0) {
                out.append(values.size() == 2 ? " and " : i == values.size() - 1 ? ", and " : ", ");
            }
            out.append('\'').append(v).append('\'');
            i++;
        }
        return out.toString();
    }

    /** {@code path.field}, or {@code field} at the top of an event. */
    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static JsonNode expect(JsonNode value, boolean ok, String path, String expected) throws InvalidEvent {
        if (!ok) {
            throw new InvalidEvent("invalid_type", path, "Invalid type for '" + path + "': expected " + expected
                    + ", but got " + KINDS.getOrDefault(value.getNodeType(), "a value") + " instead.");
        }
        return value;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }
}
