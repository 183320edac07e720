package gateway.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What QA recorded about one call, stored as {@value RecordingFormat#REVIEW_FILE} beside call.json: one scorecard
 * review per reviewer (a reviewer's new review replaces their earlier one) and the notes pinned to moments of the
 * recording. The reviewer of a review and the author of a note are token names, never taken from a request body.
 */
public record CallReview(List<Review> reviews, List<Note> notes) {

    /** No review and no note: what a call without review.json has. */
    public static final CallReview NONE = new CallReview(List.of(), List.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public CallReview {
        reviews = List.copyOf(reviews);
        notes = List.copyOf(notes);
    }

    /**
     * One reviewer's scorecard: the answer to each criterion, an overall comment (may be empty), and the weighted
     * score of the answers (0 to 100) as computed when it was saved.
     */
    public record Review(String reviewer, Instant reviewedAt, List<Answer> answers, String comment, double score) {
        public Review {
            Objects.requireNonNull(reviewer, "reviewer");
            Objects.requireNonNull(reviewedAt, "reviewedAt");
            answers = List.copyOf(answers);
            comment = comment == null ? "" : comment;
        }
    }

    /**
     * The answer to one criterion: {@code value} 0 (fail) or 1 (pass) for a pass/fail criterion, 1 to 5 on a scale;
     * {@code comment} may be empty.
     */
    public record Answer(String criterion, int value, String comment) {
        public Answer {
            Objects.requireNonNull(criterion, "criterion");
            comment = comment == null ? "" : comment;
        }
    }

    /** A note {@code atMs} into the recording, by a token's name. */
    public record Note(String id, long atMs, String text, String by, Instant createdAt) {
    }

    /** The review by {@code reviewer} replacing theirs, if any; the others kept in their order. */
    public CallReview withReview(Review review) {
        List<Review> next = new ArrayList<>();
        for (Review r : reviews) {
            if (!r.reviewer().equals(review.reviewer())) {
                next.add(r);
            }
        }
        next.add(review);
        return new CallReview(next, notes);
    }

    /** With {@code note} added at the end. */
    public CallReview withNote(Note note) {
        List<Note> next = new ArrayList<>(notes);
        next.add(note);
        return new CallReview(reviews, next);
    }

    /** Without the note {@code id}. */
    public CallReview withoutNote(String id) {
        return new CallReview(reviews, notes.stream().filter(n -> !n.id().equals(id)).toList());
    }

    /** What the call list shows of this: null when there is neither a review nor a note. */
    public ReviewSummary summary() {
        if (reviews.isEmpty() && notes.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (Review r : reviews) {
            sum += r.score();
        }
        return new ReviewSummary(reviews.size(), reviews.isEmpty() ? 0 : round(sum / reviews.size()), notes.size());
    }

    /** A score as kept: to one decimal place. */
    public static double round(double score) {
        return Math.round(score * 10) / 10.0;
    }

    /** The file's bytes. */
    public byte[] toJson() {
        return (toNode() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The file's JSON object, also the body the QA API answers with. */
    public ObjectNode toNode() {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode reviewArray = root.putArray("reviews");
        for (Review r : reviews) {
            ObjectNode review = reviewArray.addObject().put("reviewer", r.reviewer())
                    .put("reviewed_at", CallJson.utc(r.reviewedAt())).put("score", r.score())
                    .put("comment", r.comment());
            ArrayNode answers = review.putArray("answers");
            for (Answer a : r.answers()) {
                answers.addObject().put("criterion", a.criterion()).put("value", a.value())
                        .put("comment", a.comment());
            }
        }
        ArrayNode noteArray = root.putArray("notes");
        for (Note n : notes) {
            noteArray.addObject().put("id", n.id()).put("at_ms", n.atMs()).put("text", n.text()).put("by", n.by())
                    .put("created_at", CallJson.utc(n.createdAt()));
        }
        return root;
    }

    /** Reads the file's bytes; a field this version does not know is ignored. */
    public static CallReview read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException(RecordingFormat.REVIEW_FILE + " is not a JSON object");
        }
        try {
            List<Review> reviews = new ArrayList<>();
            for (JsonNode r : root.path("reviews")) {
                List<Answer> answers = new ArrayList<>();
                for (JsonNode a : r.path("answers")) {
                    answers.add(new Answer(text(a, "criterion"), a.path("value").asInt(),
                            a.path("comment").asText("")));
                }
                reviews.add(new Review(text(r, "reviewer"), Instant.parse(text(r, "reviewed_at")), answers,
                        r.path("comment").asText(""), r.path("score").asDouble()));
            }
            List<Note> notes = new ArrayList<>();
            for (JsonNode n : root.path("notes")) {
                notes.add(new Note(text(n, "id"), n.path("at_ms").asLong(), n.path("text").asText(""),
                        text(n, "by"), Instant.parse(text(n, "created_at"))));
            }
            return new CallReview(reviews, notes);
        } catch (DateTimeParseException e) {
            throw new IOException(RecordingFormat.REVIEW_FILE + " has an invalid time", e);
        }
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IOException(RecordingFormat.REVIEW_FILE + " has an entry without " + field);
        }
        return value.asText();
    }
}
