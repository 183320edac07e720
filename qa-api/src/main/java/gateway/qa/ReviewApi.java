package gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallId;
import gateway.library.CallJson;
import gateway.library.CallLibrary;
import gateway.library.CallReview;
import gateway.library.CallStatus;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reviews and notes of a finished call, kept in its review.json ({@link CallReview}):
 * <ul>
 *   <li>{@code GET /api/scorecard}: the form ({@link Scorecard});</li>
 *   <li>{@code GET /api/calls/{id}/review}: every review and note of the call;</li>
 *   <li>{@code PUT /api/calls/{id}/review} {@code {"answers":[{"criterion","value","comment"}],"comment"}}: the
 *       sender's review, replacing their earlier one (audited {@code reviewed} with the score);</li>
 *   <li>{@code POST /api/calls/{id}/notes} {@code {"at_ms","text"}} (201, audited {@code note_added}) and
 *       {@code DELETE /api/calls/{id}/notes/{note}} of one's own note (204, audited {@code note_deleted}).</li>
 * </ul>
 * Any token may do these (viewer and up; not a share link). The reviewer and a note's author are the token's name,
 * never a field of the body. Bodies are checked on the event loop; the file is changed on the library's thread.
 */
final class ReviewApi {

    static final String SCORECARD = "scorecard";
    static final String REVIEW = "review";
    static final String NOTES = "notes";
    static final Methods REVIEW_METHODS = new Methods(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT));
    /** A comment is a few sentences, not a report. */
    static final int MAX_COMMENT_CHARS = 2000;
    /** A note is a line or two at a moment of the call. */
    static final int MAX_NOTE_CHARS = 1000;
    /** Notes a call may hold: far beyond a careful review, and a bound on review.json. */
    static final int MAX_NOTES = 500;
    /** The latest moment a note may name: a day, longer than any call the gateway keeps up. */
    static final long MAX_AT_MS = 86_400_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NOTE_ID_BYTES = 9;
    private static final Pattern NOTE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final CallLibrary library;
    private final AuditLog audit;
    private final Scorecard scorecard;

    ReviewApi(CallLibrary library, AuditLog audit, Scorecard scorecard) {
        this.library = library;
        this.audit = audit;
        this.scorecard = scorecard;
    }

    /** {@code GET /api/scorecard}. Event loop. */
    void scorecard(Exchange exchange) {
        exchange.sendJson(HttpResponseStatus.OK, scorecard.toJson());
    }

    /** {@code GET …/review}: the call's reviews and notes; 404 when there is no such call. I/O thread. */
    void read(Exchange exchange, CallId id) throws IOException, ApiException {
        CallStatus status = library.store().status(id);
        if (status == CallStatus.ABSENT) {
            throw ApiException.notFound("no call with this id");
        }
        CallReview review = status == CallStatus.FINISHED ? CallLibrary.readReview(library.store(), id)
                : CallReview.NONE;
        exchange.sendJson(HttpResponseStatus.OK, body(id, review.toNode()));
    }

    /** {@code PUT …/review}, admitted for a reviewer ({@link Methods.Who#REVIEWER}). Event loop. */
    void put(Exchange exchange, CallId id) throws ApiException {
        if (!scorecard.configured()) {
            throw new ApiException(HttpResponseStatus.CONFLICT, ErrorCodes.NO_SCORECARD,
                    "no scorecard is configured (qa.scorecard); notes can still be added");
        }
        JsonNode root = object(exchange);
        for (Iterator<String> fields = root.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("answers") && !field.equals("comment")) {
                throw invalid("a review has answers and comment, not " + field
                        + " (the reviewer is the token's name)");
            }
        }
        List<CallReview.Answer> answers = answers(root.path("answers"));
        String comment = text(root.path("comment"), "comment", MAX_COMMENT_CHARS, false);
        CallReview.Review review = new CallReview.Review(exchange.principal().name(), audit.clock().instant(),
                answers, comment, scorecard.score(answers));
        change(exchange, id, r -> r.withReview(review), done -> {
            audit.record(exchange, "reviewed", id.value(), "score " + review.score());
            exchange.sendJson(HttpResponseStatus.OK, body(id, done.toNode()));
        });
    }

    /** {@code POST …/notes}, admitted for a reviewer. Event loop. */
    void addNote(Exchange exchange, CallId id) throws ApiException {
        JsonNode root = object(exchange);
        JsonNode at = root.path("at_ms");
        if (!at.isIntegralNumber() || at.asLong() < 0 || at.asLong() > MAX_AT_MS) {
            throw invalid("at_ms must be a whole number of milliseconds from 0 to " + MAX_AT_MS);
        }
        String text = text(root.path("text"), "text", MAX_NOTE_CHARS, true);
        byte[] raw = new byte[NOTE_ID_BYTES];
        RANDOM.nextBytes(raw);
        CallReview.Note note = new CallReview.Note(Base64.getUrlEncoder().withoutPadding().encodeToString(raw),
                at.asLong(), text, exchange.principal().name(), audit.clock().instant());
        change(exchange, id, r -> {
            if (r.notes().size() >= MAX_NOTES) {
                throw new Refused(invalid("the call has " + MAX_NOTES + " notes, the most it may have"));
            }
            return r.withNote(note);
        }, done -> {
            audit.record(exchange, "note_added", id.value(), note.id() + " at " + note.atMs() + " ms");
            exchange.sendJson(HttpResponseStatus.CREATED, (MAPPER.createObjectNode().put("id", note.id())
                    .put("at_ms", note.atMs()).put("text", note.text()).put("by", note.by())
                    .put("created_at", CallJson.utc(note.createdAt())) + "\n").getBytes(StandardCharsets.UTF_8));
        });
    }

    /** The note segment of {@code DELETE …/notes/{note}}, or 400. */
    static String noteId(String segment) throws ApiException {
        if (!NOTE_ID.matcher(segment).matches()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ID, "a note id is what POST …/notes answered");
        }
        return segment;
    }

    /** {@code DELETE …/notes/{note}}, admitted for a reviewer: only the note's author may. Event loop. */
    void deleteNote(Exchange exchange, CallId id, String noteId) {
        String who = exchange.principal().name();
        change(exchange, id, r -> {
            CallReview.Note note = r.notes().stream().filter(n -> n.id().equals(noteId)).findFirst()
                    .orElseThrow(() -> new Refused(ApiException.notFound("the call has no note with this id")));
            if (!note.by().equals(who)) {
                throw new Refused(new ApiException(HttpResponseStatus.FORBIDDEN, ErrorCodes.NOT_YOURS,
                        "only its author (" + note.by() + ") may delete this note"));
            }
            return r.withoutNote(noteId);
        }, done -> {
            audit.record(exchange, "note_deleted", id.value(), noteId);
            exchange.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                    Unpooled.EMPTY_BUFFER));
        });
    }

    /** Applies {@code change} on the library's thread, then answers through {@code done} or with the refusal. */
    private void change(Exchange exchange, CallId id, UnaryOperator<CallReview> change,
                        Consumer<CallReview> done) {
        library.review(id, change).whenComplete((update, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof Refused refused) {
                exchange.sendError(refused.problem);
                return;
            }
            if (cause != null) {
                exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                        "the review could not be saved");
                return;
            }
            switch (update.status()) {
                case FINISHED -> done.accept(update.review());
                case ABSENT -> exchange.sendError(ApiException.notFound("no call with this id"));
                case IN_PROGRESS -> exchange.sendError(HttpResponseStatus.CONFLICT, ErrorCodes.CALL_IN_PROGRESS,
                        "the call is still being recorded; review it when it has ended");
                default -> throw new IllegalStateException("unknown status " + update.status());
            }
        });
    }

    /** Checks every answer against the form: each criterion once, none unknown, in range, comments where needed. */
    private List<CallReview.Answer> answers(JsonNode list) throws ApiException {
        if (!list.isArray()) {
            throw invalid("answers must be a list of {criterion, value, comment}");
        }
        List<CallReview.Answer> answers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode a : list) {
            if (!a.isObject()) {
                throw invalid("answers must be a list of {criterion, value, comment}");
            }
            for (Iterator<String> fields = a.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!Set.of("criterion", "value", "comment").contains(field)) {
                    throw invalid("an answer has criterion, value and comment, not " + field);
                }
            }
            String id = a.path("criterion").asText("");
            Scorecard.Criterion c = scorecard.criterion(id)
                    .orElseThrow(() -> invalid("unknown criterion '" + id + "'"));
            if (!seen.add(id)) {
                throw invalid("criterion '" + id + "' is answered twice");
            }
            JsonNode value = a.path("value");
            int v;
            if (c.kind() == Scorecard.Kind.PASS_FAIL && value.isBoolean()) {
                v = value.asBoolean() ? 1 : 0;
            } else if (c.kind() == Scorecard.Kind.SCALE_1_5 && value.isIntegralNumber()
                    && value.asInt() >= 1 && value.asInt() <= 5) {
                v = value.asInt();
            } else {
                throw invalid("criterion '" + id + "' takes " + (c.kind() == Scorecard.Kind.PASS_FAIL
                        ? "true (pass) or false (fail)" : "a whole number from 1 to 5"));
            }
            String comment = text(a.path("comment"), "the comment of criterion '" + id + "'", MAX_COMMENT_CHARS,
                    false);
            if (c.commentRequired() && comment.isBlank()) {
                throw invalid("criterion '" + id + "' needs a comment");
            }
            answers.add(new CallReview.Answer(id, v, comment));
        }
        for (Scorecard.Criterion c : scorecard.criteria()) {
            if (!seen.contains(c.id())) {
                throw invalid("criterion '" + c.id() + "' is not answered");
            }
        }
        return answers;
    }

    private static JsonNode object(Exchange exchange) throws ApiException {
        JsonNode root;
        try {
            root = MAPPER.readTree(exchange.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        return root;
    }

    /** A text field: absent is empty unless {@code required}; never longer than {@code max}. */
    private static String text(JsonNode node, String name, int max, boolean required) throws ApiException {
        if (node.isMissingNode() && !required) {
            return "";
        }
        if (!node.isTextual() || node.asText().length() > max || required && node.asText().isBlank()) {
            throw invalid(name + " must be a text of " + (required ? "1" : "0") + " to " + max + " characters");
        }
        return node.asText();
    }

    private static byte[] body(CallId id, ObjectNode review) {
        ObjectNode root = MAPPER.createObjectNode().put("id", id.value());
        root.setAll(review);
        return (root + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest(ErrorCodes.INVALID_BODY, message);
    }

    /** A change the library's thread refused, with the answer to give. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiException problem;

        Refused(ApiException problem) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
        }
    }
}
