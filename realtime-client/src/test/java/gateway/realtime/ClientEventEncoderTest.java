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
        m.put(new ClientEvent.InstructionsUpdate("Speak slowly."), "{\"type\":\"session.update\",\"session\":{"
                + "\"type\":\"realtime\",\"instructions\":\"Speak slowly.\"}}");
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
    void everyVoiceSettingFunctionParametersAndMcpServersAreSentAsTheGaShape() {
        SessionSettings settings = new SessionSettings("Be brief.", "cedar",
                new SessionSettings.Transcription("gpt-4o-transcribe", "de", "Acme GmbH"),
                new SessionSettings.TurnDetection.ServerVad(0.65, 250, 700), SessionSettings.NoiseReduction.NEAR_FIELD,
                800, List.of(new SessionSettings.Tool("lookup_order", "Find an order.", "{\"type\": \"object\","
                        + " \"properties\": {\"order\": {\"type\": \"string\"}}, \"required\": [\"order\"]}")),
                List.of(new SessionSettings.McpServer("crm", "https://mcp.example.com/sse", "The CRM.",
                        List.of("find_customer"), "never", Map.of("X-Team", "support"), "oauth-token")));
        assertEquals("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"Be brief.\","
                + "\"output_modalities\":[\"audio\"],\"audio\":{\"input\":{"
                + "\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
                + "\"transcription\":{\"model\":\"gpt-4o-transcribe\",\"language\":\"de\",\"prompt\":\"Acme GmbH\"},"
                + "\"noise_reduction\":{\"type\":\"near_field\"},\"turn_detection\":{\"type\":\"server_vad\","
                + "\"threshold\":0.65,\"prefix_padding_ms\":250,\"silence_duration_ms\":700}},"
                + "\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"voice\":\"cedar\"}},"
                + "\"max_output_tokens\":800,"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup_order\",\"description\":\"Find an order.\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"string\"}},"
                + "\"required\":[\"order\"]}},{\"type\":\"mcp\",\"server_label\":\"crm\","
                + "\"server_url\":\"https://mcp.example.com/sse\",\"server_description\":\"The CRM.\","
                + "\"allowed_tools\":[\"find_customer\"],\"require_approval\":\"never\","
                + "\"headers\":{\"X-Team\":\"support\"},\"authorization\":\"oauth-token\"}],\"tool_choice\":\"auto\"}}",
                encode(new ClientEvent.SessionUpdate(settings)));
        assertTrue(encode(new ClientEvent.SessionUpdate(new SessionSettings(null, null, null, new SessionSettings
                .TurnDetection.SemanticVad("low"), null, null, null, null))).contains(
                "\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"low\"}"));
        String printed = settings.toString();
        assertTrue(!printed.contains("oauth-token") && !printed.contains("support"), printed);
    }

    @Test
    void aResponseCreateCarriesItsEventIdAndInstructionsWhenGiven() {
        assertEquals("{\"type\":\"response.create\",\"event_id\":\"gw_response_3\",\"response\":{"
                + "\"instructions\":\"Greet the caller.\"}}",
                encode(new ClientEvent.ResponseCreate("Greet the caller.", "gw_response_3")));
        assertEquals("{\"type\":\"response.create\",\"event_id\":\"gw_response_4\"}",
                encode(new ClientEvent.ResponseCreate(null, "gw_response_4")));
        assertThrows(IllegalArgumentException.class, () -> new ClientEvent.ResponseCreate(null, "x".repeat(513)));
    }

    @Test
    void anMcpApprovalIsAnsweredWithItsOwnItemType() {
        assertEquals("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"mcp_approval_response\","
                        + "\"approval_request_id\":\"mcpr_1\",\"approve\":false,\"reason\":\"Nobody can approve.\"}}",
                encode(new ClientEvent.ConversationItemCreate(new ConversationItem.McpApprovalResponse("mcpr_1",
                        false, "Nobody can approve."))));
    }

    @Test
    void toolParametersMustBeAJsonObject() {
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings.Tool("a", "b", "[1]"));
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings.Tool("a", "b", "{\"type\":"));
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
