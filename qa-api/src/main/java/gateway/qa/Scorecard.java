package gateway.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallReview;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The review form QA fills in for a call ({@code qa.scorecard}): criteria answered pass/fail or on a 1-5 scale, each
 * with a weight and maybe a required comment. A review's score is the weighted mean of its answers as fractions
 * (pass 1, fail 0; a scale answer v gives (v - 1) / 4), times 100: {@code 100 * sum(w * f) / sum(w)}, to one
 * decimal place.
 */
public record Scorecard(String title, List<Criterion> criteria) {

    /** No form: reviews cannot be saved, notes still can. */
    public static final Scorecard NONE = new Scorecard("", List.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Scorecard {
        criteria = List.copyOf(criteria);
    }

    /** How a criterion is answered, with the lowest and highest answer. */
    public enum Kind {
        PASS_FAIL(0, 1),
        SCALE_1_5(1, 5);

        private final int min;
        private final int max;

        Kind(int min, int max) {
            this.min = min;
            this.max = max;
        }

        int min() {
            return min;
        }

        int max() {
            return max;
        }

        /** The name in config and JSON: {@code pass_fail} or {@code scale_1_5}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code name} in config. */
        public static Optional<Kind> parse(String name) {
            for (Kind kind : values()) {
                if (kind.jsonName().equals(name)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }

        /** An answer as a fraction of the best one, 0 to 1. */
        double fraction(int value) {
            return (double) (value - min) / (max - min);
        }
    }

    /** One question of the form. */
    public record Criterion(String id, String label, Kind kind, double weight, boolean commentRequired) {
    }

    /** Whether a form is configured. */
    boolean configured() {
        return !criteria.isEmpty();
    }

    Optional<Criterion> criterion(String id) {
        return criteria.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The score of {@code answers}, one per criterion (checked by the caller): 0 to 100, one decimal. */
    double score(List<CallReview.Answer> answers) {
        double weighted = 0;
        double weights = 0;
        for (CallReview.Answer answer : answers) {
            Criterion c = criterion(answer.criterion()).orElseThrow();
            weighted += c.weight() * c.kind().fraction(answer.value());
            weights += c.weight();
        }
        return weights == 0 ? 0 : CallReview.round(100 * weighted / weights);
    }

    /** The body of {@code GET /api/scorecard}. */
    byte[] toJson() {
        ObjectNode root = MAPPER.createObjectNode().put("title", title).put("configured", configured());
        ArrayNode list = root.putArray("criteria");
        for (Criterion c : criteria) {
            list.addObject().put("id", c.id()).put("label", c.label()).put("kind", c.kind().jsonName())
                    .put("weight", c.weight()).put("comment_required", c.commentRequired());
        }
        return (root + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
