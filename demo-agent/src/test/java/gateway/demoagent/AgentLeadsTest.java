package gateway.demoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the agent does besides answering turns: a response.create with instructions (a greeting, a prompt), the tokens
 * each response reports and the rate limits after it, an error of the service's own on a scripted turn, and a reply
 * that speaks and then calls a tool in one response.
 */
class AgentLeadsTest {

    private static final String MANUAL = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
            + "\"instructions\":\"Be brief and kind.\",\"audio\":{\"input\":{\"turn_detection\":null}},"
            + "\"tools\":[{\"type\":\"function\",\"name\":\"end_call\",\"description\":\"Hang up.\"}]}}";
    private static final String SILENCE_300_MS = Base64.getEncoder().encodeToString(new byte[300 * 48]);

    private static DemoScript script() {
        return DemoScript.defaults().withReplyMode(DemoScript.ReplyMode.TONE).withToneMs(400).withReplyDelayMs(0)
                .withDeltaMs(1000);
    }

    private static WireClient open(DemoAgent agent) throws Exception {
        WireClient client = WireClient.open(agent.url());
        client.next("session.created");
        client.send(MANUAL);
        client.next("session.updated");
        return client;
    }

    private static void commitTurn(WireClient client) throws Exception {
        client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + SILENCE_300_MS + "\"}");
        client.send("{\"type\":\"input_audio_buffer.commit\"}");
        client.until("input_audio_buffer.committed");
    }

    @Test
    void aResponseCreateWithInstructionsIsSpokenAsTheToneWithTheirLastParagraphAsTranscript() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script())) {
            WireClient client = open(agent);
            String instructions = "Be brief and kind.\n\nGreet the caller now by saying: Welcome to Acme.";
            client.send("{\"type\":\"response.create\",\"event_id\":\"gw_response_0\",\"response\":{\"instructions\":"
                    + WireClient.JSON.writeValueAsString(instructions) + "}}");
            List<JsonNode> events = client.until("response.done");
            short[] audio = audio(events);
            assertEquals(400 * 24, audio.length);
            assertTrue(Arrays.equals(DemoAgent.tone(400), audio), "the tone, whatever the mode");
            JsonNode transcript = events.stream().filter(e -> e.path("type").asText()
                    .equals("response.output_audio_transcript.done")).findFirst().orElseThrow();
            assertEquals("Greet the caller now by saying: Welcome to Acme.", transcript.get("transcript").asText());
            JsonNode usage = events.getLast().at("/response/usage");
            assertEquals(WireClient.JSON.readTree("{\"total_tokens\":30,\"input_tokens\":13,\"output_tokens\":17,"
                    + "\"input_token_details\":{\"text_tokens\":13,\"audio_tokens\":0,\"image_tokens\":0,"
                    + "\"cached_tokens\":0,\"cached_tokens_details\":{\"text_tokens\":0,\"audio_tokens\":0,"
                    + "\"image_tokens\":0}},\"output_token_details\":{\"text_tokens\":9,\"audio_tokens\":8}}"), usage,
                    "13 words of instructions in; 9 words and 400 ms (one token per 50 ms) out");
            assertEquals(List.of(instructions), agent.connection(1).responseRequests());
            assertEquals(List.of(new DemoConnection.Usage(13, 0, 9, 8)), agent.connection(1).usages());
            JsonNode limits = client.next("rate_limits.updated").get("rate_limits");
            assertEquals(WireClient.JSON.readTree("[{\"name\":\"requests\",\"limit\":5000,\"remaining\":4999,"
                    + "\"reset_seconds\":60.0},{\"name\":\"tokens\",\"limit\":40000,\"remaining\":39970,"
                    + "\"reset_seconds\":60.0}]"), limits);
        }
    }

    @Test
    void aScriptedErrorComesWhenItsTurnIsCommittedAndTheTurnIsStillAnswered() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script().withErrorOnTurn(2, "server_error", "server_error",
                "The server had an error while processing your request."))) {
            WireClient client = open(agent);
            commitTurn(client);
            client.send("{\"type\":\"response.create\"}");
            client.until("response.done");
            commitTurn(client);
            WireClient.assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"server_error\",\"code\":\"server_error\","
                    + "\"message\":\"The server had an error while processing your request.\",\"param\":null,"
                    + "\"event_id\":null}}", client.until("error").getLast());
            client.send("{\"type\":\"response.create\"}");
            assertEquals("completed", client.until("response.done").getLast().at("/response/status").asText());
            assertEquals(List.of(), agent.connection(1).refusals(), "it refused nothing the client sent");
            assertEquals(2, agent.connection(1).usages().size());
            assertEquals(3, agent.connection(1).usages().get(1).inputAudioTokens(), "300 ms heard: 3 tokens");
        }
    }

    @Test
    void aReplyCanSpeakAndThenCallAToolInOneResponse() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script().withToolCallAfterSpeech(1, "end_call", "{}"))) {
            WireClient client = open(agent);
            commitTurn(client);
            client.send("{\"type\":\"response.create\"}");
            List<JsonNode> events = client.until("response.done");
            List<String> items = new ArrayList<>();
            for (JsonNode e : events) {
                String type = e.path("type").asText();
                if (type.equals("response.output_item.added") || type.equals("response.output_item.done")) {
                    items.add(type.substring("response.output_item.".length()) + " " + e.at("/item/type").asText()
                            + " " + e.path("output_index").asInt());
                }
            }
            assertEquals(List.of("added message 0", "done message 0", "added function_call 1",
                    "done function_call 1"), items, "the goodbye is said before the call");
            assertEquals(400 * 24, audio(events).length);
            JsonNode done = events.getLast().get("response");
            assertEquals(List.of("message", "function_call"), List.of(done.at("/output/0/type").asText(),
                    done.at("/output/1/type").asText()));
            String callId = done.at("/output/1/call_id").asText();
            events.stream().filter(e -> e.path("type").asText().equals("response.function_call_arguments.done"))
                    .forEach(e -> assertEquals(1, e.get("output_index").asInt()));
            assertEquals(List.of(new DemoConnection.ToolCall(callId, "end_call", "{}", null)),
                    agent.connection(1).toolCalls());
        }
    }

    private static short[] audio(List<JsonNode> events) {
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("response.output_audio.delta")) {
                byte[] bytes = Base64.getDecoder().decode(e.get("delta").asText());
                chunks.add(bytes);
                total += bytes.length;
            }
        }
        short[] pcm = new short[total / 2];
        int at = 0;
        for (byte[] chunk : chunks) {
            for (int i = 0; i + 1 < chunk.length; i += 2) {
                pcm[at++] = (short) (chunk[i] & 0xFF | chunk[i + 1] << 8);
            }
        }
        return pcm;
    }
}
