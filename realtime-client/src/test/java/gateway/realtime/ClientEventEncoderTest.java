package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.realtime.ClientEvent.ConversationItem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every client event record as the exact GA JSON it goes out as (docs/realtime-protocol.md §2, §3). */
class ClientEventEncoderTest {

    private static final SessionSettings FULL = new SessionSettings("Be brief.", "marin", "gpt-4o-transcribe");

    /** One fixture per record kind, with the JSON the service must receive. */
    private static final Map<ClientEvent, String> FIXTURES = fixtures();

    private static Map<ClientEvent, String> fixtures() {
        Map<ClientEvent, String> m = new LinkedHashMap<>();
        m.put(new ClientEvent.SessionUpdate(FULL), "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                + "\"instructions\":\"Be brief.\",\"output_modalities\":[\"audio\"],\"audio\":{\"input\":{"
                + "\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
                + "\"transcription\":{\"model\":\"gpt-4o-transcribe\"},\"turn_detection\":{\"type\":\"server_vad\"}},"
                + "\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"voice\":\"marin\"}}}}");
        m.put(new ClientEvent.InputAudioCommit(), "{\"type\":\"input_audio_buffer.commit\"}");
        m.put(new ClientEvent.InputAudioClear(), "{\"type\":\"input_audio_buffer.clear\"}");
        m.put(new ClientEvent.ConversationItemCreate(new ConversationItem.UserText("Hi")),
                "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"Hi\"}]}}");
        m.put(new ClientEvent.ItemTruncate("item_A", 0, 1500), "{\"type\":\"conversation.item.truncate\","
                + "\"item_id\":\"item_A\",\"content_index\":0,\"audio_end_ms\":1500}");
        m.put(new ClientEvent.ResponseCreate(), "{\"type\":\"response.create\"}");
        m.put(new ClientEvent.ResponseCancel(null), "{\"type\":\"response.cancel\"}");
        return m;
    }

    private static String encode(ClientEvent event) {
        ByteBuf buf = Unpooled.buffer();
        try {
            ClientEventEncoder.encode(event, buf);
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyRecordKindHasAFixtureAndEncodesToIt() {
        Set<String> kinds = Arrays.stream(ClientEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(kinds, FIXTURES.keySet().stream().map(e -> e.getClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new)), "a fixture per ClientEvent record");
        FIXTURES.forEach((event, json) -> assertEquals(json, encode(event), event.type()));
    }

    @Test
    void theTypeFieldIsTheRecordsTypeConstant() throws Exception {
        for (ClientEvent event : FIXTURES.keySet()) {
            String constant = (String) event.getClass().getField("TYPE").get(null);
            assertEquals(constant, event.type());
            assertTrue(encode(event).startsWith("{\"type\":\"" + constant + "\""), encode(event));
        }
    }

    @Test
    void sessionUpdateLeavesOutUnsetSettings() {
        assertEquals("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                        + "\"output_modalities\":[\"audio\"],\"audio\":{\"input\":{"
                        + "\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
                        + "\"turn_detection\":{\"type\":\"server_vad\"}},"
                        + "\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000}}}}}",
                encode(new ClientEvent.SessionUpdate(new SessionSettings(null, "", ""))));
    }

    @Test
    void assistantTextIsOutputTextAndSystemTextIsInputText() {
        assertEquals("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[{\"type\":\"output_text\",\"text\":\"Your table is booked.\"}]}}",
                encode(new ClientEvent.ConversationItemCreate(new ConversationItem.AssistantText(
                        "Your table is booked."))));
        assertEquals("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"system\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"The call was reconnected.\"}]}}",
                encode(new ClientEvent.ConversationItemCreate(new ConversationItem.SystemText(
                        "The call was reconnected."))));
    }

    @Test
    void aFunctionCallOutputIsItsOwnItemType() {
        assertEquals("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"function_call_output\","
                        + "\"call_id\":\"call_7\",\"output\":\"{\\\"recording\\\":\\\"paused\\\"}\"}}",
                encode(new ClientEvent.ConversationItemCreate(new ConversationItem.FunctionCallOutput("call_7",
                        "{\"recording\":\"paused\"}"))));
    }

    @Test
    void toolsAreOfferedAsParameterlessFunctionsChosenAutomatically() {
        String json = encode(new ClientEvent.SessionUpdate(new SessionSettings(null, "", "",
                List.of(new SessionSettings.Tool("pause_recording", "Pause it.")))));
        assertTrue(json.endsWith("\"tools\":[{\"type\":\"function\",\"name\":\"pause_recording\","
                + "\"description\":\"Pause it.\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}],"
                + "\"tool_choice\":\"auto\"}}"), json);
    }

    @Test
    void responseCancelCarriesTheResponseIdOnlyWhenGiven() {
        assertEquals("{\"type\":\"response.cancel\",\"response_id\":\"resp_R\"}",
                encode(new ClientEvent.ResponseCancel("resp_R")));
    }

    @Test
    void textIsEscapedAsJsonAndWrittenAsUtf8() {
        String text = "He said \"no\" \\ then\nleft\t\u0001 \u00e9t\u00e9 \uD83D\uDE00 </x> \u2028 \uD83D";
        String json = encode(new ClientEvent.ConversationItemCreate(new ConversationItem.UserText(text)));
        assertEquals("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"He said \\\"no\\\" \\\\ then\\nleft\\t\\u0001 "
                + "\u00e9t\u00e9 \uD83D\uDE00 </x> \u2028 \\uD83D\"}]}}", json, "a lone surrogate is escaped");
        ByteBuf buf = Unpooled.buffer();
        try {
            ClientEventEncoder.encode(new ClientEvent.ItemTruncate("\u00e9\uD83D\uDE00", 1, 0), buf);
            int at = "{\"type\":\"conversation.item.truncate\",\"item_id\":\"".length();
            byte[] id = Arrays.copyOfRange(ByteBufUtil.getBytes(buf), at, at + 8);
            assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9, (byte) 0xF0, (byte) 0x9F, (byte) 0x98,
                    (byte) 0x80, '"', ','}, id, "é and the emoji as 2- and 4-byte UTF-8, not escaped surrogates");
        } finally {
            buf.release();
        }
    }

    @Test
    void appendsAtTheWriterIndex() {
        ByteBuf buf = Unpooled.buffer().writeBytes("prefix".getBytes(StandardCharsets.US_ASCII));
        try {
            ClientEventEncoder.encode(new ClientEvent.ResponseCreate(), buf);
            assertEquals("prefix{\"type\":\"response.create\"}", buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    @Test
    void itemTextMayNotBeNull() {
        for (Runnable r : List.<Runnable>of(() -> new ConversationItem.UserText(null),
                () -> new ConversationItem.AssistantText(null), () -> new ConversationItem.SystemText(null))) {
            assertThrows(NullPointerException.class, r::run);
        }
    }
}
