package gateway.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call.json codec, both directions: the one place that knows its field names. {@link #write} renders a
 * {@link CallRecord} as indented JSON (call.json, or call.json.partial with the end fields null); {@link #read}
 * takes any call.json back, of this version or an older one: only {@code id} and {@code started_at} are required,
 * any other missing field takes an empty value. The {@code recording} object says whether audio.wav holds the whole
 * call: {@code complete}, the first I/O {@code failure} of the call's files (or null), and the {@code missing} ranges
 * per channel, in milliseconds (start rounded down, end up, so they cover the loss) and exact samples; an end of
 * null means the call went on for an unknown time (a gateway crash). The {@code quality} object ({@link CallQuality})
 * is absent from files written before the gateway measured it, and then reads as null. The {@code dtmf} array
 * ({@link KeyPress}: {@code digit}, {@code at_ms}, {@code duration_ms}, {@code direction}) is written when a key was
 * pressed, and reads as empty when absent. {@code tools} (the model's tool calls) and {@code usage} (the tokens the
 * Realtime sessions reported) are written when the call has them, so a call without them is written as before; so
 * are {@code profile} (the routing profile), {@code sip_headers} (the INVITE's headers passed on) and
 * {@code actions} ({@link CallAction}: {@code at_ms}, {@code action}, {@code by}, {@code detail}), what supervisors
 * did through the active calls API, which reads as empty when absent, and {@code redactions} ({@link Redaction}:
 * {@code item_id}, {@code kind}, {@code start_char}, {@code end_char}, and {@code field} and {@code index} for a mask
 * outside the turns), where stored texts were masked. {@code analytics} says {@code remeasured} when it was measured
 * after the call ({@link #withAnalytics}). A replayed call ({@link ReplayOrigin}) has {@code replay_of} (the
 * original's id) and {@code replay_agent}; a phone call has neither.
 * Object storage adds {@code files} ({@link #withFiles}). Stateless; safe from any thread.
 */
public final class CallJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads a tool's arguments or output: JSON only if the whole text is one JSON value. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Numbers compare by value: 3 read back is an int node, 3 written a long one. */
    private static final Comparator<JsonNode> BY_VALUE =
            (a, b) -> a.equals(b) || a.isIntegralNumber() && b.isIntegralNumber() && a.asLong() == b.asLong() ? 0 : 1;
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final String ID = "id";
    private static final String SIP_CALL_ID = "sip_call_id";
    private static final String FROM = "from";
    private static final String TO = "to";
    private static final String SOURCE = "source";
    private static final String PROFILE = "profile";
    private static final String SIP_HEADERS = "sip_headers";
    private static final String REPLAY_OF = "replay_of";
    private static final String REPLAY_AGENT = "replay_agent";
    private static final String STARTED_AT = "started_at";
    private static final String ENDED_AT = "ended_at";
    private static final String DURATION_MS = "duration_ms";
    private static final String CODEC = "codec";
    private static final String END_REASON = "end_reason";
    private static final String TURNS = "turns";
    private static final String ROLE = "role";
    private static final String START_MS = "start_ms";
    private static final String END_MS = "end_ms";
    private static final String TEXT = "text";
    private static final String ITEM_ID = "item_id";
    private static final String INTERRUPTED = "interrupted";
    private static final String HOLDS = "holds";
    private static final String DTMF = "dtmf";
    private static final String DIGIT = "digit";
    private static final String AT_MS = "at_ms";
    private static final String DIRECTION = "direction";
    private static final String SESSIONS = "realtime_sessions";
    private static final String INPUT_MS = "input_ms";
    private static final String RESENT_MS = "resent_ms";
    private static final String INDEX = "index";
    private static final String SESSION_ID = "session_id";
    private static final String PAUSES = "recording_paused";
    private static final String BY = "by";
    private static final String AUDIO = "audio";
    private static final String FILE = "file";
    private static final String SAMPLE_RATE = "sample_rate";
    private static final String CHANNELS = "channels";
    private static final String SAMPLES = "samples";
    private static final String RECORDING = "recording";
    private static final String COMPLETE = "complete";
    private static final String FAILURE = "failure";
    private static final String MISSING = "missing";
    private static final String CHANNEL = "channel";
    private static final String START_SAMPLE = "start_sample";
    private static final String END_SAMPLE = "end_sample";
    private static final String CAUSE = "cause";
    private static final String RECORDER = "recorder";
    private static final String LATE_SAMPLES = "late_samples";
    private static final String REJECTED_SAMPLES = "rejected_samples";
    private static final String DROPPED_CHUNKS = "dropped_chunks";
    private static final String LOST_SAMPLES = "lost_samples";
    private static final String QUALITY = "quality";
    private static final String ANALYTICS = "analytics";
    private static final String REPLIES = "replies";
    private static final String LATENCY_P50_MS = "latency_p50_ms";
    private static final String LATENCY_P95_MS = "latency_p95_ms";
    private static final String LATENCY_MAX_MS = "latency_max_ms";
    private static final String TALK_OVER_MS = "talk_over_ms";
    private static final String TALK_OVER_COUNT = "talk_over_count";
    private static final String DEAD_AIR_COUNT = "dead_air_count";
    private static final String LONGEST_DEAD_AIR_MS = "longest_dead_air_ms";
    private static final String CALLER_TALK_MS = "caller_talk_ms";
    private static final String AGENT_TALK_MS = "agent_talk_ms";
    private static final String AGENT_TALK_SHARE = "agent_talk_share";
    private static final String LONGEST_MONOLOGUE_MS = "longest_monologue_ms";
    private static final String REMEASURED = "remeasured";
    private static final String REPLY_GAPS = "reply_gaps";
    private static final String TALK_OVERS = "talk_overs";
    private static final String DEAD_AIRS = "dead_airs";
    private static final String CALLER_TURNS = "caller_turns";
    private static final String AGENT_TURNS = "agent_turns";
    private static final String BARGE_INS = "barge_ins";
    private static final String DTMF_KEYS = "dtmf_keys";
    private static final String TOOL_CALLS = "tool_calls";
    private static final String HOLD_MS = "hold_ms";
    private static final String HUNG_UP_BY = "hung_up_by";
    private static final String PACKETS_RECEIVED = "packets_received";
    private static final String PACKETS_SENT = "packets_sent";
    private static final String PACKETS_EXPECTED = "packets_expected";
    private static final String PACKETS_LOST = "packets_lost";
    private static final String PACKETS_LATE = "packets_late";
    private static final String PACKETS_DUPLICATED = "packets_duplicated";
    private static final String CONCEALED_MS = "concealed_ms";
    private static final String JITTER_MS = "jitter_ms";
    private static final String JITTER_MAX_MS = "jitter_max_ms";
    private static final String RTT_MS = "rtt_ms";
    private static final String RTT_MAX_MS = "rtt_max_ms";
    private static final String JITTER_BUFFER_MS = "jitter_buffer_ms";
    private static final String STREAM_RESTARTS = "stream_restarts";
    private static final String REMOTE = "remote";
    private static final String REPORTS = "reports";
    private static final String FRACTION_LOST_PERCENT = "fraction_lost_percent";
    private static final String R_FACTOR = "r_factor";
    private static final String MOS = "mos";
    private static final String LOSS = "loss";
    private static final String PACKETS = "packets";
    private static final String FILES = "files";
    private static final String BYTES = "bytes";
    private static final String SHA256 = "sha256";
    private static final String TOOLS = "tools";
    private static final String NAME = "name";
    private static final String CALL_ID = "call_id";
    private static final String SERVER = "server";
    private static final String LATENCY_MS = "latency_ms";
    private static final String ARGUMENTS = "arguments";
    private static final String OUTPUT = "output";
    private static final String ERROR = "error";
    private static final String USAGE = "usage";
    private static final String TRANSFER = "transfer";
    private static final String EARLY_MEDIA = "early_media";
    private static final String ANSWERED_MS = "answered_ms";
    private static final String TARGET = "target";
    private static final String STATUS = "status";
    private static final String RESPONSES = "responses";
    private static final String INPUT_TEXT_TOKENS = "input_text_tokens";
    private static final String INPUT_AUDIO_TOKENS = "input_audio_tokens";
    private static final String INPUT_CACHED_TOKENS = "input_cached_tokens";
    private static final String OUTPUT_TEXT_TOKENS = "output_text_tokens";
    private static final String OUTPUT_AUDIO_TOKENS = "output_audio_tokens";
    private static final String TOTAL_TOKENS = "total_tokens";
    private static final String ACTIONS = "actions";
    private static final String ACTION = "action";
    private static final String DETAIL = "detail";
    private static final String REDACTIONS = "redactions";
    private static final String KIND = "kind";
    private static final String START_CHAR = "start_char";
    private static final String END_CHAR = "end_char";
    private static final String FIELD = "field";

    private CallJson() {
    }

    /** The size and SHA-256 (lower-case hex) of one file of the call, as {@code files} lists it. */
    public record FileChecksum(long bytes, String sha256) {
    }

    /** The document, UTF-8, ending in a newline. {@code call.recording()} must be set. */
    public static byte[] write(CallRecord call) {
        CallMetadata meta = call.meta();
        ObjectNode root = MAPPER.createObjectNode();
        root.put(ID, meta.id());
        root.put(SIP_CALL_ID, meta.sipCallId());
        root.put(FROM, meta.from());
        root.put(TO, meta.to());
        if (meta.source() != null) {
            root.put(SOURCE, meta.source());
        }
        if (meta.profile() != null) {
            root.put(PROFILE, meta.profile());
        }
        if (!meta.sipHeaders().isEmpty()) {
            ObjectNode headers = root.putObject(SIP_HEADERS);
            meta.sipHeaders().forEach((name, values) -> {
                ArrayNode list = headers.putArray(name);
                values.forEach(list::add);
            });
        }
        if (meta.replay() != null) {
            root.put(REPLAY_OF, meta.replay().callId());
            root.put(REPLAY_AGENT, meta.replay().agent());
        }
        root.put(STARTED_AT, utc(meta.startedAt()));
        root.put(ENDED_AT, call.endedAt() == null ? null : utc(call.endedAt()));
        root.put(DURATION_MS, call.durationMs());
        root.put(CODEC, call.codec());
        root.put(END_REASON, call.endReason());
        writeTurns(root.putArray(TURNS), call.log().turns());
        if (!call.log().redactions().isEmpty()) {
            ArrayNode redactions = root.putArray(REDACTIONS);
            for (Redaction r : call.log().redactions()) {
                ObjectNode node = redactions.addObject().put(ITEM_ID, r.itemId()).put(KIND, r.kind())
                        .put(START_CHAR, r.startChar()).put(END_CHAR, r.endChar());
                if (r.field() != null) {
                    node.put(FIELD, r.field());
                }
                if (r.index() != Redaction.NO_INDEX) {
                    node.put(INDEX, r.index());
                }
            }
        }
        ArrayNode holds = root.putArray(HOLDS);
        for (HoldPeriod hold : call.log().holds()) {
            holds.addObject().put(START_MS, hold.startMs()).put(END_MS, hold.endMs());
        }
        if (!call.log().keys().isEmpty()) {
            ArrayNode keys = root.putArray(DTMF);
            for (KeyPress key : call.log().keys()) {
                keys.addObject().put(DIGIT, String.valueOf(key.digit())).put(AT_MS, key.atMs())
                        .put(DURATION_MS, key.durationMs()).put(DIRECTION, key.direction());
            }
        }
        ArrayNode sessions = root.putArray(SESSIONS);
        for (SessionPeriod session : call.log().sessions()) {
            ObjectNode s = sessions.addObject().put(INDEX, session.index()).put(SESSION_ID, session.sessionId())
                    .put(START_MS, session.startMs()).put(END_MS, session.endMs())
                    .put(END_REASON, session.endReason());
            if (session.inputMs() != SessionPeriod.UNKNOWN) {
                s.put(INPUT_MS, session.inputMs());
            }
            if (session.resentMs() > 0) {
                s.put(RESENT_MS, session.resentMs());
            }
        }
        ArrayNode pauses = root.putArray(PAUSES);
        for (RecordingPause pause : call.log().pauses()) {
            pauses.addObject().put(START_MS, pause.startMs()).put(END_MS, pause.endMs()).put(BY, pause.by());
        }
        if (!call.log().tools().isEmpty()) {
            writeTools(root.putArray(TOOLS), call.log().tools());
        }
        if (call.log().usage() != null) {
            writeUsage(root.putObject(USAGE), call.log().usage());
        }
        if (!call.log().actions().isEmpty()) {
            ArrayNode actions = root.putArray(ACTIONS);
            for (CallAction action : call.log().actions()) {
                actions.addObject().put(AT_MS, action.atMs()).put(ACTION, action.action()).put(BY, action.by())
                        .put(DETAIL, action.detail());
            }
        }
        CallTransfer transfer = call.log().transfer();
        if (transfer != null) {
            root.putObject(TRANSFER).put(TARGET, transfer.target()).put(AT_MS, transfer.atMs())
                    .put(STATUS, transfer.status());
        }
        EarlyMedia early = call.log().earlyMedia();
        if (early != null) {
            ObjectNode node = root.putObject(EARLY_MEDIA).put(START_MS, early.startMs());
            if (early.answered()) {
                node.put(ANSWERED_MS, early.answeredMs());
            }
        }
        root.putObject(AUDIO).put(FILE, RecordingFormat.AUDIO_FILE).put(SAMPLE_RATE, RecordingFormat.SAMPLE_RATE)
                .put(CHANNELS, RecordingFormat.CHANNELS).put(SAMPLES, call.stats().frames());
        writeRecording(root.putObject(RECORDING), call.recording());
        if (call.log().quality() != null) {
            writeQuality(root.putObject(QUALITY), call.log().quality());
        }
        if (call.analytics() != null) {
            writeAnalytics(root.putObject(ANALYTICS), call.analytics(), ConversationCounts.of(call));
        }
        RecorderStats stats = call.stats();
        root.putObject(RECORDER).put(LATE_SAMPLES, stats.lateSamples()).put(REJECTED_SAMPLES, stats.rejectedSamples())
                .put(DROPPED_CHUNKS, stats.droppedWrites()).put(LOST_SAMPLES, stats.lostSamples());
        try {
            return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
        }
    }

    /** Reads a call.json or call.json.partial; throws IOException when it is not one. */
    public static CallRecord read(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        String id = text(root, ID);
        if (!CallId.valid(id)) {
            throw new IOException("no valid id");
        }
        Instant startedAt = instant(root.path(STARTED_AT));
        if (startedAt == null) {
            throw new IOException("no started_at");
        }
        try {
            String codec = text(root, CODEC);
            CallMetadata meta = new CallMetadata(id, text(root, SIP_CALL_ID), text(root, FROM), text(root, TO),
                    startedAt, codec, text(root, SOURCE), text(root, PROFILE), readHeaders(root.path(SIP_HEADERS)),
                    readReplay(root));
            CallLog log = new CallLog(readTurns(root.path(TURNS)), readHolds(root.path(HOLDS)),
                    readSessions(root.path(SESSIONS)), readPauses(root.path(PAUSES)), codec,
                    readQuality(root.path(QUALITY)), readKeys(root.path(DTMF)), readTools(root.path(TOOLS)),
                    readUsage(root.path(USAGE)), readActions(root.path(ACTIONS)), readTransfer(root.path(TRANSFER)),
                    readEarlyMedia(root.path(EARLY_MEDIA)), readRedactions(root.path(REDACTIONS)));
            JsonNode recorder = root.path(RECORDER);
            RecorderStats stats = new RecorderStats(root.path(AUDIO).path(SAMPLES).asLong(0),
                    recorder.path(LATE_SAMPLES).asLong(0), recorder.path(REJECTED_SAMPLES).asLong(0),
                    recorder.path(LOST_SAMPLES).asLong(0), recorder.path(DROPPED_CHUNKS).asLong(0));
            return new CallRecord(meta, instant(root.path(ENDED_AT)), text(root, END_REASON),
                    root.path(DURATION_MS).asLong(0), log, stats, readRecording(root.path(RECORDING)),
                    readAnalytics(root.path(ANALYTICS)));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a call.json: " + e.getMessage(), e);
        }
    }

    /** {@code replay_of} and {@code replay_agent}: null for a phone call (and in every file written before replays). */
    private static ReplayOrigin readReplay(JsonNode root) {
        String of = text(root, REPLAY_OF);
        return of == null || !CallId.valid(of) ? null : new ReplayOrigin(of, text(root, REPLAY_AGENT));
    }

    /** The {@code sip_headers} object: each header name with its list of values; absent reads as empty. */
    private static Map<String, List<String>> readHeaders(JsonNode node) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            List<String> values = new ArrayList<>();
            field.getValue().forEach(value -> values.add(value.asText()));
            headers.put(field.getKey(), values);
        }
        return headers;
    }

    /**
     * call.json with {@code analytics} set to {@code analytics} (and the counts its log gives), every other field as
     * it was, including those this version does not know: how the analytics of a call recorded before them are
     * added once they are measured.
     */
    public static byte[] withAnalytics(byte[] callJson, CallAnalytics analytics) throws IOException {
        CallRecord record = read(callJson);
        ObjectNode root = (ObjectNode) MAPPER.readTree(callJson);
        ObjectNode node = MAPPER.createObjectNode();
        writeAnalytics(node, analytics, ConversationCounts.of(record));
        root.set(ANALYTICS, node);
        return MAPPER.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * call.json with {@code files} set to the checksums of the call's other files (in {@link CallFile} order), every
     * other field as it was; the same array when it already says exactly that.
     */
    public static byte[] withFiles(byte[] callJson, Map<CallFile, FileChecksum> checksums) throws IOException {
        JsonNode tree = MAPPER.readTree(callJson);
        if (!(tree instanceof ObjectNode root)) {
            throw new IOException("call.json is not a JSON object");
        }
        ObjectNode files = MAPPER.createObjectNode();
        for (CallFile file : CallFile.values()) {
            FileChecksum checksum = checksums.get(file);
            if (checksum != null) {
                files.putObject(file.fileName()).put(BYTES, checksum.bytes()).put(SHA256, checksum.sha256());
            }
        }
        JsonNode present = root.get(FILES);
        if (present != null && files.equals(BY_VALUE, present)) {
            return callJson;
        }
        root.set(FILES, files);
        return MAPPER.writeValueAsBytes(root);
    }

    /** ISO-8601 UTC with exactly three fraction digits, e.g. 2026-11-23T18:01:02.345Z: every time in call.json. */
    public static String utc(Instant instant) {
        return UTC_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void writeTurns(ArrayNode array, List<Turn> turns) {
        List<Turn> sorted = new ArrayList<>(turns);
        sorted.sort(Comparator.comparingLong(Turn::startMs));
        for (Turn turn : sorted) {
            array.addObject().put(ROLE, turn.role().jsonName()).put(START_MS, turn.startMs())
                    .put(END_MS, turn.endMs()).put(TEXT, turn.text()).put(ITEM_ID, turn.itemId())
                    .put(INTERRUPTED, turn.interrupted());
        }
    }

    private static List<Turn> readTurns(JsonNode array) throws IOException {
        List<Turn> turns = new ArrayList<>();
        for (JsonNode t : array) {
            turns.add(new Turn(role(t.path(ROLE)), t.path(START_MS).asLong(), t.path(END_MS).asLong(),
                    t.path(TEXT).asText(""), text(t, ITEM_ID), t.path(INTERRUPTED).asBoolean()));
        }
        return turns;
    }

    private static List<Redaction> readRedactions(JsonNode array) {
        List<Redaction> redactions = new ArrayList<>();
        for (JsonNode r : array) {
            int start = Math.max(0, r.path(START_CHAR).asInt());
            redactions.add(new Redaction(text(r, ITEM_ID), r.path(KIND).asText(""), start,
                    Math.max(start, r.path(END_CHAR).asInt()), text(r, FIELD),
                    r.path(INDEX).asInt(Redaction.NO_INDEX)));
        }
        return redactions;
    }

    private static List<HoldPeriod> readHolds(JsonNode array) {
        List<HoldPeriod> holds = new ArrayList<>();
        for (JsonNode h : array) {
            holds.add(new HoldPeriod(h.path(START_MS).asLong(), h.path(END_MS).asLong()));
        }
        return holds;
    }

    private static List<KeyPress> readKeys(JsonNode array) {
        List<KeyPress> keys = new ArrayList<>();
        for (JsonNode k : array) {
            String digit = k.path(DIGIT).asText("");
            keys.add(new KeyPress(digit.length() == 1 ? digit.charAt(0) : '?', k.path(AT_MS).asLong(),
                    k.path(DURATION_MS).asLong(), k.path(DIRECTION).asText(KeyPress.INBOUND)));
        }
        return keys;
    }

    private static List<SessionPeriod> readSessions(JsonNode array) {
        List<SessionPeriod> sessions = new ArrayList<>();
        for (JsonNode s : array) {
            sessions.add(new SessionPeriod(s.path(INDEX).asInt(), text(s, SESSION_ID), s.path(START_MS).asLong(),
                    s.path(END_MS).asLong(), text(s, END_REASON),
                    Math.max(SessionPeriod.UNKNOWN, s.path(INPUT_MS).asLong(SessionPeriod.UNKNOWN)),
                    Math.max(0, s.path(RESENT_MS).asLong(0))));
        }
        return sessions;
    }

    private static List<RecordingPause> readPauses(JsonNode array) {
        List<RecordingPause> pauses = new ArrayList<>();
        for (JsonNode p : array) {
            pauses.add(new RecordingPause(p.path(START_MS).asLong(), p.path(END_MS).asLong(), text(p, BY)));
        }
        return pauses;
    }

    /**
     * The tool calls by start time; arguments and output as JSON when they are JSON text (as the model and the tools
     * send them), else as strings.
     */
    private static void writeTools(ArrayNode array, List<ToolCall> tools) {
        List<ToolCall> sorted = new ArrayList<>(tools);
        sorted.sort(Comparator.comparingLong(ToolCall::startMs));
        for (ToolCall tool : sorted) {
            ObjectNode t = array.addObject().put(NAME, tool.name()).put(CALL_ID, tool.callId())
                    .put(SERVER, tool.server()).put(START_MS, tool.startMs()).put(END_MS, tool.endMs())
                    .put(LATENCY_MS, tool.latencyMs());
            t.set(ARGUMENTS, jsonOrText(tool.arguments()));
            t.set(OUTPUT, jsonOrText(tool.output()));
            t.put(ERROR, tool.error());
        }
    }

    /**
     * A tool's arguments or output as call.json gives them back once written: JSON text in its compact form, other
     * text as it is. Masks are placed in this form, so their spans hold for the text read back.
     */
    public static String storedText(String text) {
        return textOrJson(jsonOrText(text));
    }

    private static JsonNode jsonOrText(String text) {
        if (text == null) {
            return MAPPER.nullNode();
        }
        try {
            JsonNode node = STRICT.readTree(text);
            return node == null || node.isMissingNode() ? MAPPER.getNodeFactory().textNode(text) : node;
        } catch (JsonProcessingException notJson) {
            return MAPPER.getNodeFactory().textNode(text);
        }
    }

    private static List<ToolCall> readTools(JsonNode array) {
        List<ToolCall> tools = new ArrayList<>();
        for (JsonNode t : array) {
            long start = t.path(START_MS).asLong();
            tools.add(new ToolCall(t.path(NAME).asText(""), text(t, CALL_ID), text(t, SERVER), start,
                    Math.max(start, t.path(END_MS).asLong()), Math.max(0, t.path(LATENCY_MS).asLong()),
                    textOrJson(t.path(ARGUMENTS)), textOrJson(t.path(OUTPUT)), text(t, ERROR)));
        }
        return tools;
    }

    /** A value written by {@link #jsonOrText} as the text it came from: a string's text, anything else's JSON. */
    private static String textOrJson(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static List<CallAction> readActions(JsonNode array) {
        List<CallAction> actions = new ArrayList<>();
        for (JsonNode a : array) {
            actions.add(new CallAction(Math.max(0, a.path(AT_MS).asLong()), a.path(ACTION).asText(""),
                    a.path(BY).asText(""), text(a, DETAIL)));
        }
        return actions;
    }

    /** Writes {@code usage} into {@code node} as call.json's {@code usage} (call events reuse it). */
    public static void writeUsage(ObjectNode node, CallUsage usage) {
        node.put(RESPONSES, usage.responses()).put(INPUT_TEXT_TOKENS, usage.inputTextTokens())
                .put(INPUT_AUDIO_TOKENS, usage.inputAudioTokens()).put(INPUT_CACHED_TOKENS, usage.inputCachedTokens())
                .put(OUTPUT_TEXT_TOKENS, usage.outputTextTokens()).put(OUTPUT_AUDIO_TOKENS, usage.outputAudioTokens())
                .put(TOTAL_TOKENS, usage.totalTokens());
    }

    /** The usage, or null when the file has none (written before the gateway counted it). */
    private static CallUsage readUsage(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        return new CallUsage(node.path(RESPONSES).asLong(0), node.path(INPUT_TEXT_TOKENS).asLong(0),
                node.path(INPUT_AUDIO_TOKENS).asLong(0), node.path(INPUT_CACHED_TOKENS).asLong(0),
                node.path(OUTPUT_TEXT_TOKENS).asLong(0), node.path(OUTPUT_AUDIO_TOKENS).asLong(0));
    }

    /** The transfer, or null when the call had none (or the file is from before transfers were recorded). */
    private static CallTransfer readTransfer(JsonNode node) {
        if (!node.isObject() || !node.path(TARGET).isTextual()) {
            return null;
        }
        return new CallTransfer(node.path(TARGET).asText(), node.path(AT_MS).asLong(0), node.path(STATUS).asInt(0));
    }

    /** The early media, or null when the call had none (or the file is from before it was recorded). */
    private static EarlyMedia readEarlyMedia(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        return new EarlyMedia(node.path(START_MS).asLong(0), node.path(ANSWERED_MS).asLong(EarlyMedia.NOT_ANSWERED));
    }

    private static void writeRecording(ObjectNode node, RecordingStatus status) {
        node.put(COMPLETE, status.complete());
        node.put(FAILURE, status.failure());
        ArrayNode missing = node.putArray(MISSING);
        for (MissingRange range : status.missing()) {
            ObjectNode m = missing.addObject();
            m.put(CHANNEL, range.channel().jsonName());
            m.put(START_MS, CallTimeline.samplesToMs(range.startSample()));
            if (range.openEnded()) {
                m.putNull(END_MS);
            } else {
                m.put(END_MS, CallTimeline.samplesToMsRoundedUp(range.endSample()));
            }
            m.put(START_SAMPLE, range.startSample());
            if (range.openEnded()) {
                m.putNull(END_SAMPLE);
            } else {
                m.put(END_SAMPLE, range.endSample());
            }
            m.put(CAUSE, range.cause().jsonName());
        }
    }

    private static void writeQuality(ObjectNode node, CallQuality q) {
        node.put(PACKETS_RECEIVED, q.packetsReceived()).put(PACKETS_SENT, q.packetsSent())
                .put(PACKETS_EXPECTED, q.packetsExpected()).put(PACKETS_LOST, q.packetsLost())
                .put(PACKETS_LATE, q.packetsLate()).put(PACKETS_DUPLICATED, q.packetsDuplicated())
                .put(CONCEALED_MS, q.concealedMs()).put(JITTER_MS, q.jitterMs()).put(JITTER_MAX_MS, q.jitterMaxMs())
                .put(RTT_MS, q.rttMs()).put(RTT_MAX_MS, q.rttMaxMs()).put(JITTER_BUFFER_MS, q.jitterBufferMs())
                .put(STREAM_RESTARTS, q.streamRestarts());
        if (q.remote() == null) {
            node.putNull(REMOTE);
        } else {
            CallQuality.RemoteReport r = q.remote();
            node.putObject(REMOTE).put(REPORTS, r.reports()).put(FRACTION_LOST_PERCENT, r.fractionLostPercent())
                    .put(PACKETS_LOST, r.packetsLost()).put(JITTER_MS, r.jitterMs());
        }
        node.put(R_FACTOR, q.rFactor()).put(MOS, q.mos());
        ArrayNode loss = node.putArray(LOSS);
        for (CallQuality.LossStretch stretch : q.loss()) {
            loss.addObject().put(START_MS, stretch.startMs()).put(END_MS, stretch.endMs())
                    .put(PACKETS, stretch.packets());
        }
    }

    private static void writeAnalytics(ObjectNode node, CallAnalytics a, ConversationCounts counts) {
        node.put(REPLIES, a.responses()).put(LATENCY_P50_MS, a.latencyP50Ms()).put(LATENCY_P95_MS, a.latencyP95Ms())
                .put(LATENCY_MAX_MS, a.latencyMaxMs()).put(TALK_OVER_MS, a.talkOverMs())
                .put(TALK_OVER_COUNT, a.talkOverCount()).put(DEAD_AIR_COUNT, a.deadAirCount())
                .put(LONGEST_DEAD_AIR_MS, a.longestDeadAirMs()).put(CALLER_TALK_MS, a.callerTalkMs())
                .put(AGENT_TALK_MS, a.agentTalkMs())
                .put(AGENT_TALK_SHARE, Math.round(a.agentTalkShare() * 1000) / 1000.0)
                .put(LONGEST_MONOLOGUE_MS, a.longestMonologueMs());
        node.put(CALLER_TURNS, counts.callerTurns()).put(AGENT_TURNS, counts.agentTurns())
                .put(BARGE_INS, counts.bargeIns()).put(DTMF_KEYS, counts.dtmfKeys()).put(TOOL_CALLS, counts.toolCalls())
                .put(HOLD_MS, counts.holdMs()).put(HUNG_UP_BY, counts.hungUpBy());
        writeStretches(node.putArray(REPLY_GAPS), a.replyGaps());
        writeStretches(node.putArray(TALK_OVERS), a.talkOvers());
        writeStretches(node.putArray(DEAD_AIRS), a.deadAirs());
        if (a.remeasured()) {
            node.put(REMEASURED, true);
        }
    }

    private static void writeStretches(ArrayNode array, List<CallAnalytics.Stretch> stretches) {
        for (CallAnalytics.Stretch s : stretches) {
            array.addObject().put(START_MS, s.startMs()).put(END_MS, s.endMs());
        }
    }

    /** The stretches of {@code node} (an array); none when a file written before them has no such array. */
    private static List<CallAnalytics.Stretch> readStretches(JsonNode node) {
        List<CallAnalytics.Stretch> stretches = new ArrayList<>();
        for (JsonNode s : node) {
            long start = Math.max(0, s.path(START_MS).asLong());
            stretches.add(new CallAnalytics.Stretch(start, Math.max(start, s.path(END_MS).asLong())));
            if (stretches.size() == CallAnalytics.MAX_STRETCHES) {
                break;
            }
        }
        return stretches;
    }

    /** The {@code analytics} object, or null when the file has none (a checkpoint, or written before). */
    private static CallAnalytics readAnalytics(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        return new CallAnalytics(node.path(REPLIES).asInt(), node.path(LATENCY_P50_MS).asLong(),
                node.path(LATENCY_P95_MS).asLong(), node.path(LATENCY_MAX_MS).asLong(),
                node.path(TALK_OVER_MS).asLong(), node.path(TALK_OVER_COUNT).asInt(),
                node.path(DEAD_AIR_COUNT).asInt(), node.path(LONGEST_DEAD_AIR_MS).asLong(),
                node.path(CALLER_TALK_MS).asLong(), node.path(AGENT_TALK_MS).asLong(),
                node.path(LONGEST_MONOLOGUE_MS).asLong(), readStretches(node.path(REPLY_GAPS)),
                readStretches(node.path(TALK_OVERS)), readStretches(node.path(DEAD_AIRS)),
                node.path(REMEASURED).asBoolean(false));
    }

    /** The {@code quality} object, or null when the file has none (written before the gateway measured it). */
    private static CallQuality readQuality(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        JsonNode remote = node.path(REMOTE);
        CallQuality.RemoteReport report = remote.isObject() ? new CallQuality.RemoteReport(
                remote.path(REPORTS).asLong(), remote.path(FRACTION_LOST_PERCENT).asDouble(),
                remote.path(PACKETS_LOST).asLong(), remote.path(JITTER_MS).asDouble()) : null;
        List<CallQuality.LossStretch> loss = new ArrayList<>();
        for (JsonNode l : node.path(LOSS)) {
            loss.add(new CallQuality.LossStretch(l.path(START_MS).asLong(), l.path(END_MS).asLong(),
                    l.path(PACKETS).asLong()));
        }
        return new CallQuality(node.path(PACKETS_RECEIVED).asLong(), node.path(PACKETS_SENT).asLong(),
                node.path(PACKETS_EXPECTED).asLong(), node.path(PACKETS_LOST).asLong(),
                node.path(PACKETS_LATE).asLong(), node.path(PACKETS_DUPLICATED).asLong(),
                node.path(CONCEALED_MS).asLong(), node.path(JITTER_MS).asDouble(), node.path(JITTER_MAX_MS).asDouble(),
                number(node, RTT_MS), number(node, RTT_MAX_MS), node.path(JITTER_BUFFER_MS).asDouble(),
                node.path(STREAM_RESTARTS).asLong(), report, number(node, R_FACTOR), number(node, MOS), loss);
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.doubleValue() : null;
    }

    /** The {@code recording} object, or null when the file has none that says whether it is complete. */
    private static RecordingStatus readRecording(JsonNode node) throws IOException {
        JsonNode complete = node.path(COMPLETE);
        if (!complete.isBoolean()) {
            return null;
        }
        List<MissingRange> missing = new ArrayList<>();
        for (JsonNode m : node.path(MISSING)) {
            String cause = m.path(CAUSE).asText();
            missing.add(new MissingRange(role(m.path(CHANNEL)), m.path(START_SAMPLE).asLong(),
                    m.path(END_SAMPLE).asLong(MissingRange.UNKNOWN_END), MissingRange.Cause.fromJsonName(cause)
                    .orElseThrow(() -> new IOException("unknown cause of missing audio: " + cause))));
        }
        return new RecordingStatus(complete.booleanValue(), text(node, FAILURE), missing);
    }

    private static Role role(JsonNode node) throws IOException {
        String name = node.asText();
        return Role.fromJsonName(name).orElseThrow(() -> new IOException("unknown role: " + name));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : null;
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
