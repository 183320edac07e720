package gateway.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Writes call directories with realistic call.json files (no audio) for the index benchmark: ids and times as the
 * gateway makes them, about 1000 calls a day; durations log-normal around 2.5 min (20 s to 20 min); a turn every
 * ~6 s alternating caller and assistant, with 4-25 (caller) and 10-45 (assistant) words drawn from a 20,000-word
 * vocabulary with Zipf frequencies; rare end reasons, holds and second sessions. Pretty-printed as the recorder
 * writes it. The same seed gives the same files.
 */
final class SyntheticCalls {

    static final int VOCABULARY = 20_000;
    private static final long START_MS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long MS_PER_CALL = 86_400_000L / 1000;
    private static final String[] END_REASONS = {"caller_bye", "caller_bye", "caller_bye", "caller_bye",
        "caller_bye", "caller_bye", "caller_bye", "caller_bye", "caller_bye", "caller_bye", "caller_bye",
        "caller_bye", "caller_bye", "caller_bye", "caller_bye", "caller_bye", "caller_bye", "realtime_lost",
        "shutdown", "internal_error"};
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ta", "ren", "so", "vi", "den", "pa", "ur",
        "el", "ton", "ma", "ri", "sel", "no", "ga", "be", "lu", "or", "an", "ces", "ti", "mo", "ber", "da"};
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Random random;
    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];

    SyntheticCalls(long seed) {
        random = new Random(seed);
        double sum = 0;
        for (int rank = 0; rank < VOCABULARY; rank++) {
            words[rank] = word(rank);
            sum += 1.0 / (rank + 1);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < VOCABULARY; rank++) {
            cumulative[rank] /= sum;
        }
    }

    /** The word of a vocabulary rank: distinct for every rank (rank 0 is the most frequent). */
    static String word(int rank) {
        StringBuilder w = new StringBuilder();
        int r = rank;
        do {
            w.append(SYLLABLES[r % SYLLABLES.length]);
            r /= SYLLABLES.length;
        } while (r > 0);
        return w.toString();
    }

    /** Writes call number {@code n} under {@code root}; returns the bytes of its call.json. */
    int write(Path root, int n) throws IOException {
        long startMs = START_MS + n * MS_PER_CALL + random.nextInt((int) MS_PER_CALL);
        Instant started = Instant.ofEpochMilli(startMs);
        String id = ID_TIME.format(started) + "-" + String.format("%08x", random.nextInt());
        long durationMs = Math.max(20_000, Math.min(1_200_000,
                (long) Math.exp(Math.log(150_000) + 0.6 * random.nextGaussian())));
        ObjectNode root0 = mapper.createObjectNode();
        root0.put("id", id);
        root0.put("sip_call_id", Long.toHexString(random.nextLong()) + "@198.51.100." + random.nextInt(250));
        root0.put("from", "sip:+1555" + String.format("%07d", random.nextInt(10_000_000)) + "@198.51.100.7");
        root0.put("to", "sip:agent@gateway.example.com");
        root0.put("started_at", UTC_MILLIS.format(started));
        root0.put("ended_at", UTC_MILLIS.format(started.plusMillis(durationMs + 40)));
        root0.put("duration_ms", durationMs);
        root0.put("codec", random.nextInt(4) == 0 ? "PCMA" : "PCMU");
        root0.put("end_reason", END_REASONS[random.nextInt(END_REASONS.length)]);
        ArrayNode turns = root0.putArray("turns");
        long t = 500;
        int turn = 0;
        while (t < durationMs - 2000) {
            boolean caller = turn % 2 == 0;
            int count = caller ? 4 + random.nextInt(22) : 10 + random.nextInt(36);
            long length = count * 380L;
            ObjectNode node = turns.addObject();
            node.put("role", caller ? "caller" : "assistant");
            node.put("start_ms", t);
            node.put("end_ms", Math.min(durationMs, t + length));
            node.put("text", sentence(count));
            node.put("item_id", "item_" + Long.toHexString(random.nextLong()));
            node.put("interrupted", !caller && random.nextInt(10) == 0);
            t += length + 300 + random.nextInt(900);
            turn++;
        }
        ArrayNode holds = root0.putArray("holds");
        if (random.nextInt(20) == 0) {
            ObjectNode hold = holds.addObject();
            hold.put("start_ms", durationMs / 3);
            hold.put("end_ms", durationMs / 3 + 15_000);
        }
        ArrayNode sessions = root0.putArray("realtime_sessions");
        int sessionCount = random.nextInt(50) == 0 ? 2 : 1;
        for (int s = 0; s < sessionCount; s++) {
            ObjectNode session = sessions.addObject();
            session.put("index", s);
            session.put("session_id", "sess_" + Long.toHexString(random.nextLong()));
            session.put("start_ms", s * durationMs / 2);
            session.put("end_ms", (s + 1) * durationMs / sessionCount);
            session.put("end_reason", s + 1 < sessionCount ? "rollover" : "call_ended");
        }
        ObjectNode audio = root0.putObject("audio");
        audio.put("file", "audio.wav");
        audio.put("sample_rate", 24_000);
        audio.put("channels", 2);
        audio.put("samples", durationMs * 24);
        ObjectNode recorder = root0.putObject("recorder");
        recorder.put("late_samples", 0);
        recorder.put("rejected_samples", 0);
        recorder.put("dropped_chunks", random.nextInt(200) == 0 ? 3 : 0);
        byte[] json = mapper.writeValueAsString(root0).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(root.resolve(id));
        Files.write(dir.resolve(CallFile.CALL_JSON.fileName()), json);
        return json.length;
    }

    private String sentence(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String w = words[rank()];
            if (i == 0) {
                s.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                s.append(' ').append(w);
            }
        }
        return s.append('.').toString();
    }

    private int rank() {
        int i = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(VOCABULARY - 1, i < 0 ? -i - 1 : i);
    }
}
