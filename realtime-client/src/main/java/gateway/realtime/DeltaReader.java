package gateway.realtime;

import gateway.transport.ByteBufOctets;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the two deltas of a spoken reply straight from the frame's bytes: {@code response.output_audio.delta}, most of
 * the server's frames, and {@code response.output_audio_transcript.delta}, most of the rest. The service sends each
 * as one flat JSON object (RFC 8259) with {@code type} first, string ids and small integers, and this reads exactly
 * that with no parser objects: a steady stream of audio deltas allocates nothing, a transcript delta only its text
 * and its event. Anything else (an escape or a control character in a string, audio that does not decode, a
 * transcript that is not a string, a nested value, another type, {@code type} not first, text that is not JSON) is
 * left to the general parser: {@link #read} returns false and has delivered nothing. A transcript's octets are read
 * as UTF-8, malformed ones as U+FFFD.
 *
 * <p>Threading: one per connection, used on its event loop; the copy of a direct frame goes to an array shared by
 * the loop's connections (the loop reads one frame at a time).
 */
final class DeltaReader {

    private static final byte[] TYPE = ascii("type");
    private static final byte[] DELTA_TYPE = ascii(ServerEvent.OUTPUT_AUDIO_DELTA);
    private static final byte[] TRANSCRIPT_DELTA_TYPE = ascii(ServerEvent.OutputAudioTranscriptDelta.TYPE);
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] RESPONSE_ID = ascii("response_id");
    private static final byte[] ITEM_ID = ascii("item_id");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    /** {@link #decoded()} when the delta has no {@code delta} field. */
    static final int NO_DELTA = -2;
    /** What {@link Base64Pcm.Decoder} returns for text that is not Base64. */
    private static final int NOT_BASE64 = -1;
    private static final int NONE = -1;
    /** Eight octets of a byte array as one long, the first octet lowest. */
    private static final VarHandle EIGHT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final FastThreadLocal<byte[][]> COPY = new FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
            return new byte[][] {new byte[0]};
        }
    };

    private byte[] text;
    private int at;
    private int end;
    /** Where the string just read starts and ends (without its quotes). */
    private int stringStart;
    private int stringEnd;
    private int deltaStart;
    private int deltaEnd;
    private String responseId = "";
    private String itemId = "";
    private boolean hasResponseId;
    private boolean hasItemId;
    private boolean transcript;
    private String transcriptText;
    private int decoded;

    /**
     * Reads {@code frame}'s readable bytes (its indexes are left as they were) and returns true when it is a delta of
     * the shape above. An audio delta's audio is then in {@code decoder} ({@link Base64Pcm.Decoder#octets} when
     * {@code codes}, G.711, else {@link Base64Pcm.Decoder#samples}), {@link #decoded()} long; a transcript delta
     * ({@link #transcript()}) has its text in {@link #transcriptText()}.
     */
    boolean read(ByteBuf frame, Base64Pcm.Decoder decoder, boolean codes) {
        int length = frame.readableBytes();
        if (frame.hasArray()) {
            text = frame.array();
            at = frame.arrayOffset() + frame.readerIndex();
        } else {
            byte[][] copy = COPY.get();
            if (copy[0].length < length) {
                copy[0] = new byte[Math.max(length, 2 * copy[0].length)];
            }
            ByteBufOctets.copy(frame, frame.readerIndex(), copy[0], length);
            text = copy[0];
            at = 0;
        }
        end = at + length;
        deltaStart = NONE;
        hasResponseId = false;
        hasItemId = false;
        transcriptText = null;
        try {
            if (!object()) {
                return false;
            }
            if (transcript) {
                if (deltaStart != NONE) {
                    transcriptText = new String(text, deltaStart, deltaEnd - deltaStart, StandardCharsets.UTF_8);
                }
                return true;
            }
            decoded = deltaStart == NONE ? NO_DELTA : decoder.decode(text, deltaStart, deltaEnd - deltaStart, codes);
            // The audio was taken up to the first quote without looking for escapes: text that does not decode may
            // hold one (an escaped slash, or a quote that ended it early), which the general parser reads right.
            return decoded != NOT_BASE64;
        } finally {
            text = null;
        }
    }

    /** True when the last delta read was a transcript's. */
    boolean transcript() {
        return transcript;
    }

    /** The last transcript delta's text, or null when it had none. */
    String transcriptText() {
        return transcriptText;
    }

    /** The samples or codes the last audio delta read held, or {@link #NO_DELTA}. */
    int decoded() {
        return decoded;
    }

    /** The last delta's {@code response_id}, or null when it had none. */
    String responseId() {
        return hasResponseId ? responseId : null;
    }

    /** The last delta's {@code item_id}, or null when it had none. */
    String itemId() {
        return hasItemId ? itemId : null;
    }

    private boolean object() {
        if (!skipTo('{') || !string() || !stringIs(TYPE) || !skipTo(':') || !string()) {
            return false;
        }
        transcript = stringIs(TRANSCRIPT_DELTA_TYPE);
        if (!transcript && !stringIs(DELTA_TYPE)) {
            return false;
        }
        while (true) {
            skipSpace();
            if (at < end && text[at] == '}') {
                at++;
                skipSpace();
                return at == end;
            }
            if (!skipTo(',') || !string()) {
                return false;
            }
            int nameStart = stringStart;
            int nameEnd = stringEnd;
            if (equal(nameStart, nameEnd, TYPE) || !skipTo(':')) {
                return false; // a second type (the general parser decides which counts), or no colon
            }
            skipSpace();
            boolean delta = equal(nameStart, nameEnd, DELTA);
            if (at < end && text[at] == '"' && delta && !transcript) {
                deltaStart = at + 1;
                deltaEnd = quote(deltaStart);
                if (deltaEnd == NONE) {
                    return false;
                }
                at = deltaEnd + 1;
            } else if (at < end && text[at] == '"') {
                if (!string()) {
                    return false;
                }
                field(nameStart, nameEnd);
            } else if (delta && transcript || !scalar()) {
                return false; // the general parser gives a transcript that is a number as its text
            }
        }
    }

    /** Takes the string just read as the field it names, when it is one the gateway uses (the last one wins). */
    private void field(int nameStart, int nameEnd) {
        if (transcript && equal(nameStart, nameEnd, DELTA)) {
            deltaStart = stringStart;
            deltaEnd = stringEnd;
        } else if (equal(nameStart, nameEnd, RESPONSE_ID)) {
            responseId = reuse(responseId);
            hasResponseId = true;
        } else if (equal(nameStart, nameEnd, ITEM_ID)) {
            itemId = reuse(itemId);
            hasItemId = true;
        }
    }

    /** A string from the quote at {@link #at}, skipping white space before it; false on an escape or a control. */
    private boolean string() {
        skipSpace();
        if (at >= end || text[at] != '"') {
            return false;
        }
        int start = ++at;
        while (at < end) {
            byte b = text[at];
            if (b == '"') {
                stringStart = start;
                stringEnd = at++;
                return true;
            }
            if (b == '\\' || (b >= 0 && b < 0x20)) {
                return false; // an escape, or a control character JSON does not allow unescaped (RFC 8259 §7)
            }
            at++;
        }
        return false;
    }

    /**
     * The index of the first quote at or after {@code from}, or {@link #NONE}: eight octets at a time, a zero octet
     * of (word XOR quotes) found with the borrow trick (the lowest one it marks is always a true zero).
     */
    private int quote(int from) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long x = (long) EIGHT.get(text, i) ^ QUOTES;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (text[i] == '"') {
                return i;
            }
        }
        return NONE;
    }

    /** A number (RFC 8259 §6) or a literal; false for anything else, a nested object or array included. */
    private boolean scalar() {
        if (at >= end) {
            return false;
        }
        byte b = text[at];
        if (b == 't') {
            return literal(TRUE);
        } else if (b == 'f') {
            return literal(FALSE);
        } else if (b == 'n') {
            return literal(NULL);
        }
        int start = at;
        if (b == '-') {
            at++;
        }
        int integer = digits();
        if (integer == 0 || (integer > 1 && text[at - integer] == '0')) {
            return false;
        }
        if (at < end && text[at] == '.') {
            at++;
            if (digits() == 0) {
                return false;
            }
        }
        if (at < end && (text[at] == 'e' || text[at] == 'E')) {
            at++;
            if (at < end && (text[at] == '+' || text[at] == '-')) {
                at++;
            }
            if (digits() == 0) {
                return false;
            }
        }
        return at > start;
    }

    private int digits() {
        int start = at;
        while (at < end && text[at] >= '0' && text[at] <= '9') {
            at++;
        }
        return at - start;
    }

    private boolean literal(byte[] word) {
        if (end - at < word.length || !equal(at, at + word.length, word)) {
            return false;
        }
        at += word.length;
        return true;
    }

    /** Skips white space (RFC 8259 §2) and then {@code c}; false when something else comes. */
    private boolean skipTo(char c) {
        skipSpace();
        if (at < end && text[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < end && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) {
            at++;
        }
    }

    private boolean stringIs(byte[] expected) {
        return equal(stringStart, stringEnd, expected);
    }

    private boolean equal(int start, int stop, byte[] expected) {
        return stop - start == expected.length && Arrays.equals(text, start, stop, expected, 0, expected.length);
    }

    /** The string just read, as {@code previous} when it is the same, so a stream of deltas allocates no ids. */
    private String reuse(String previous) {
        int length = stringEnd - stringStart;
        if (previous.length() == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = text[stringStart + i] == previous.charAt(i);
            }
            if (same) {
                return previous;
            }
        }
        return new String(text, stringStart, length, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
