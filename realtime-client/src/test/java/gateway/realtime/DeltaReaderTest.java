package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Allocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DeltaReaderTest {

    /** 1000, -2000, 3000 as PCM16 LE; as G.711 codes the six octets E8 03 30 F8 B8 0B. */
    private static final String B64 = "6AMw+LgL";
    private static final short[] SAMPLES = {1000, -2000, 3000};
    private static final byte[] CODES = {(byte) 0xE8, 0x03, 0x30, (byte) 0xF8, (byte) 0xB8, 0x0B};
    /** The GA server's shape: type first, then the ids, indexes and the audio. */
    private static final String GA_DELTA = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_CQ5f\","
            + "\"response_id\":\"resp_R\",\"item_id\":\"item_A\",\"output_index\":0,\"content_index\":0,"
            + "\"delta\":\"" + B64 + "\"}";

    private final DeltaReader reader = new DeltaReader();
    private final Base64Pcm.Decoder decoder = new Base64Pcm.Decoder();

    private static ByteBuf direct(String json) {
        return Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A heap buffer whose readable bytes start inside its array and are followed by other bytes. */
    private static ByteBuf heapInside(String json) {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return Unpooled.wrappedBuffer(bytes).slice(2, bytes.length - 4);
    }

    private boolean read(String json) {
        ByteBuf frame = direct(json);
        try {
            return reader.read(frame, decoder, false);
        } finally {
            frame.release();
        }
    }

    @Test
    void readsTheServersDeltaFromDirectAndHeapBuffersAlike() {
        for (ByteBuf frame : List.of(direct(GA_DELTA), heapInside(GA_DELTA))) {
            int readerIndex = frame.readerIndex();
            assertTrue(reader.read(frame, decoder, false));
            assertEquals(readerIndex, frame.readerIndex(), "indexes left as they were");
            assertEquals(3, reader.decoded());
            assertArrayEquals(SAMPLES, Arrays.copyOf(decoder.samples(), 3));
            assertEquals("resp_R", reader.responseId());
            assertEquals("item_A", reader.itemId());
            frame.release();
        }
    }

    @Test
    void readsG711CodesWhenTheSessionAskedForThem() {
        ByteBuf frame = direct(GA_DELTA);
        assertTrue(reader.read(frame, decoder, true));
        frame.release();
        assertEquals(6, reader.decoded());
        assertArrayEquals(CODES, Arrays.copyOf(decoder.octets(), 6));
    }

    @Test
    void keepsTheIdStringsWhileTheyStayTheSame() {
        assertTrue(read(GA_DELTA));
        String response = reader.responseId();
        String item = reader.itemId();
        assertTrue(read(GA_DELTA));
        assertSame(response, reader.responseId());
        assertSame(item, reader.itemId());
        assertTrue(read(GA_DELTA.replace("item_A", "item_B")));
        assertSame(response, reader.responseId());
        assertEquals("item_B", reader.itemId());
        assertTrue(read("{\"type\":\"response.output_audio.delta\",\"delta\":\"" + B64 + "\"}"));
        assertNull(reader.responseId(), "a delta without ids has none");
        assertNull(reader.itemId());
    }

    @Test
    void readsWhiteSpaceNumbersAndLiteralsBetweenTheFields() {
        assertTrue(read(" {\n\t\"type\" : \"response.output_audio.delta\" ,\r\n \"output_index\" : -0 , "
                + "\"a\":12.5e-3,\"b\":1E+2,\"c\":true,\"d\":false,\"e\":null,\"f\":\"\u00e9t\u00e9\", "
                + "\"delta\" : \"" + B64 + "\" } \n"));
        assertEquals(3, reader.decoded());
        assertArrayEquals(SAMPLES, Arrays.copyOf(decoder.samples(), 3));
    }

    @Test
    void readsADeltaWithoutAudioAsSuch() {
        assertTrue(read("{\"type\":\"response.output_audio.delta\",\"response_id\":\"resp_R\"}"));
        assertEquals(DeltaReader.NO_DELTA, reader.decoded());
    }

    @Test
    void findsTheEndOfTheAudioAtEveryAlignment() {
        for (int pad = 0; pad <= Long.BYTES; pad++) {
            for (int n = 1; n <= 12; n++) {
                short[] samples = new short[n];
                byte[] octets = new byte[2 * n];
                for (int i = 0; i < n; i++) {
                    samples[i] = (short) (i * 4099 - 20_000);
                    octets[2 * i] = (byte) samples[i];
                    octets[2 * i + 1] = (byte) (samples[i] >> 8);
                }
                String json = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"" + "e".repeat(pad)
                        + "\",\"delta\":\"" + Base64.getEncoder().encodeToString(octets) + "\",\"item_id\":\"i\"}";
                assertTrue(read(json), json);
                assertEquals(n, reader.decoded(), json);
                assertArrayEquals(samples, Arrays.copyOf(decoder.samples(), n), json);
                assertEquals("i", reader.itemId(), json);
            }
        }
    }

    @Test
    void leavesEverythingElseToTheGeneralParser() {
        String head = "{\"type\":\"response.output_audio.delta\",";
        List<String> others = List.of(
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":\"\\\"Hi\\\"\"}",
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":\"line\nbreak\"}",
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":7}",
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":[\"Hi\"]}",
                "{\"type\":\"response.output_audio.done\",\"delta\":\"Hi\"}",
                "{\"delta\":\"" + B64 + "\",\"type\":\"response.output_audio.delta\"}",
                head + "\"item_id\":\"it\\u0065m\",\"delta\":\"" + B64 + "\"}",
                head + "\"item_id\":\"a\tb\",\"delta\":\"" + B64 + "\"}",
                head + "\"obfuscation\":{\"x\":[1,2]},\"delta\":\"" + B64 + "\"}",
                head + "\"n\":[],\"delta\":\"" + B64 + "\"}",
                head + "\"type\":\"error\",\"delta\":\"" + B64 + "\"}",
                head + "\"delta\":\"" + B64 + "\"",
                head + "\"delta\":\"" + B64 + "\"}x",
                head + "\"delta\":\"" + B64 + "\",}",
                head + "\"delta\":\"" + B64,
                head + "\"n\":01,\"delta\":\"" + B64 + "\"}",
                head + "\"n\":1.,\"delta\":\"" + B64 + "\"}",
                head + "\"n\":-,\"delta\":\"" + B64 + "\"}",
                head + "\"n\":1e,\"delta\":\"" + B64 + "\"}",
                head + "\"n\":tru,\"delta\":\"" + B64 + "\"}",
                head + "\"n\":nul}",
                head + "\"n\" 1,\"delta\":\"" + B64 + "\"}",
                head + "\"delta\":\"AAA*\"}",
                head + "\"delta\":\"AAAA\\/w==\"}",
                head + "\"delta\":\"6AMw\\\"+LgL\"}",
                head + "\"delta\":\"" + B64,
                "[" + GA_DELTA + "]",
                "",
                "not json");
        for (String json : others) {
            assertFalse(read(json), json);
        }
    }

    @Test
    void readsATranscriptDeltaAsJacksonReadsIt() throws Exception {
        ServerEventParser parser = new ServerEventParser(new LongAdder());
        List<ServerEvent> heard = new ArrayList<>();
        RealtimeListener listener = eventsOnly(heard::add);
        String head = "{\"type\":\"response.output_audio_transcript.delta\",\"event_id\":\"event_9\","
                + "\"response_id\":\"resp_R\",\"item_id\":\"item_A\",\"output_index\":0,\"content_index\":0,";
        for (String json : List.of(head + "\"delta\":\" card ending 42.\"}",
                head + "\"delta\":\"Gr\u00fc\u00dfe, \u4f60\u597d \ud83d\ude00\"}",
                head + "\"delta\":\"\"}",
                "{\"type\":\"response.output_audio_transcript.delta\",\"delta\":\"Hi\",\"delta\":\"there\"}",
                "{\"type\":\"response.output_audio_transcript.delta\"}")) {
            ByteBuf frame = direct(json);
            try {
                assertTrue(reader.read(frame, decoder, false), json);
                assertTrue(reader.transcript(), json);
                heard.clear();
                parser.parse(frame, listener);
            } finally {
                frame.release();
            }
            JsonNode tree = new ObjectMapper().readTree(json);
            assertEquals(List.of(ServerEventParser.toEvent(tree.path("type").asText(), tree)), heard, json);
        }
        String said = "Gr\u00fc\u00dfe, \u4f60\u597d \ud83d\ude00";
        assertEquals(new ServerEvent.OutputAudioTranscriptDelta("resp_R", "item_A", said),
                parse(parser, listener, heard, head + "\"delta\":\"" + said + "\"}"), "UTF-8 read as Jackson does");
    }

    private static ServerEvent parse(ServerEventParser parser, RealtimeListener listener, List<ServerEvent> heard,
                                     String json) {
        heard.clear();
        ByteBuf frame = direct(json);
        parser.parse(frame, listener);
        frame.release();
        assertEquals(1, heard.size(), json);
        return heard.get(0);
    }

    @Test
    void theParserGivesWhatJacksonReadsForWhatTheReaderLeaves() {
        LongAdder malformed = new LongAdder();
        ServerEventParser parser = new ServerEventParser(malformed);
        StringBuilder heard = new StringBuilder();
        RealtimeListener listener = new RealtimeListener() {
            @Override
            public void onEvent(ServerEvent event) {
                heard.append(event).append(';');
            }

            @Override
            public void onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length) {
                heard.append(itemId).append(Arrays.toString(Arrays.copyOfRange(pcm, offset, offset + length)))
                        .append(';');
            }

            @Override
            public void onClosed(int statusCode, String reason) {
            }
        };
        for (String json : List.of(
                "{\"type\":\"response.output_audio.delta\",\"item_id\":\"it\\u0065m\",\"delta\":\"" + B64 + "\"}",
                "{\"type\":\"response.output_audio.delta\",\"item_id\":\"s\",\"delta\":\"AAAA\\/w==\"}",
                "{\"type\":\"response.output_audio.delta\",\"item_id\":\"q\",\"delta\":\"6AMw\\\"+LgL\"}",
                "{\"type\":\"response.output_audio.delta\",\"delta\":\"" + B64 + "\"")) {
            ByteBuf frame = direct(json);
            parser.parse(frame, listener);
            frame.release();
        }
        // The escapes are Jackson's to read: in an id, and a slash in the audio; a quote in the audio is not Base64.
        assertEquals("item[1000, -2000, 3000];s[0, -256];", heard.toString());
        assertEquals(1, malformed.sum(), "the unfinished object counted as not JSON");
    }

    @Test
    void aSteadyStreamOfDeltasAllocatesNothing() {
        ServerEventParser parser = new ServerEventParser(new LongAdder());
        long[] sum = new long[1];
        RealtimeListener listener = new RealtimeListener() {
            @Override
            public void onEvent(ServerEvent event) {
                sum[0] = Long.MIN_VALUE;
            }

            @Override
            public void onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length) {
                sum[0] += pcm[offset + length - 1];
            }

            @Override
            public void onClosed(int statusCode, String reason) {
            }
        };
        // Outside Netty's leak detector, whose paranoid mode (set for all tests) records a trace on every access.
        ByteBuf frame = new UnpooledByteBufAllocator(true, true).directBuffer().writeBytes(
                GA_DELTA.getBytes(StandardCharsets.US_ASCII));
        try {
            Allocations.Measurement measured = Allocations.leastOf(2_000, 20, () -> {
                for (int i = 0; i < 100; i++) {
                    parser.parse(frame, listener);
                }
            });
            assertTrue(measured.bytes() < Allocations.BOUND_BYTES, measured.bytes() + " bytes for 100 deltas");
            assertEquals(3000L * 100 * measured.runs(), sum[0], "every delta delivered");
        } finally {
            frame.release();
        }
    }

    @Test
    void aTranscriptDeltaAllocatesOnlyItsTextAndItsEvent() {
        ServerEventParser parser = new ServerEventParser(new LongAdder());
        long[] chars = new long[1];
        RealtimeListener listener = eventsOnly(
                event -> chars[0] += ((ServerEvent.OutputAudioTranscriptDelta) event).delta().length());
        String json = "{\"type\":\"response.output_audio_transcript.delta\",\"event_id\":\"event_9\","
                + "\"response_id\":\"resp_R\",\"item_id\":\"item_A\",\"output_index\":0,\"content_index\":0,"
                + "\"delta\":\" ending\"}";
        ByteBuf frame = new UnpooledByteBufAllocator(true, true).directBuffer().writeBytes(
                json.getBytes(StandardCharsets.US_ASCII));
        try {
            Allocations.Measurement measured = Allocations.leastOf(2_000, 20, () -> {
                for (int i = 0; i < 100; i++) {
                    parser.parse(frame, listener);
                }
            });
            // The event (about 32 bytes) and its text (about 56): Jackson's tree of the same frame is over 1 KB.
            assertTrue(measured.bytes() < 100 * 128, measured.bytes() + " bytes for 100 transcript deltas");
            assertEquals(7L * 100 * measured.runs(), chars[0], "every delta delivered");
        } finally {
            frame.release();
        }
    }

    /** A listener that hands each event to {@code each} and fails on audio. */
    private static RealtimeListener eventsOnly(Consumer<ServerEvent> each) {
        return new RealtimeListener() {
            @Override
            public void onEvent(ServerEvent event) {
                each.accept(event);
            }

            @Override
            public void onAudioDelta(String responseId, String itemId, short[] pcm, int offset, int length) {
                throw new AssertionError("not audio");
            }

            @Override
            public void onClosed(int statusCode, String reason) {
            }
        };
    }
}
