package gateway.demoagent;

import static gateway.demoagent.WireClient.ID_DIGITS;
import static gateway.demoagent.WireClient.assertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scripted function call (protocol doc §5.4): the GA event sequence, and the round trip the client must make. */
class ToolCallTest {

    private static final String ARGUMENTS = "{\"order_id\":\"A-1234567890\",\"verbose\":true}";
    private static final String TOOL = "{\"type\":\"function\",\"name\":\"lookup_order\",\"description\":\"Find an"
            + " order.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"},"
            + "\"verbose\":{\"type\":\"boolean\"}},\"required\":[\"order_id\"]}}";
    /** Manual turns, so the test decides when a turn ends and when a response starts. */
    private static final String MANUAL = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
            + "\"audio\":{\"input\":{\"turn_detection\":null}},\"tools\":[" + TOOL + "]}}";
    private static final String SILENCE_200_MS = Base64.getEncoder().encodeToString(new byte[200 * 48]);

    private static DemoScript script() {
        return DemoScript.defaults().withReplyMode(DemoScript.ReplyMode.TONE).withToneMs(200).withReplyDelayMs(0)
                .withDeltaIntervalMs(30).withToolCall(1, "lookup_order", ARGUMENTS);
    }

    /** Sends 200 ms of audio and commits it: the caller's turn. */
    private static String commitTurn(WireClient client) throws Exception {
        client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + SILENCE_200_MS + "\"}");
        client.send("{\"type\":\"input_audio_buffer.commit\"}");
        String item = client.next("input_audio_buffer.committed").get("item_id").asText();
        client.next("conversation.item.added");
        client.next("conversation.item.done");
        return item;
    }


    @Test
    void theCallComesAsTheGaSequenceAndTheReplyWaitsForItsOutputAndResponseCreate() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send(MANUAL);
            client.next("session.updated");
            String user = commitTurn(client);
            client.send("{\"type\":\"response.create\"}");
            String responseId = client.next("response.created").at("/response/id").asText();
            JsonNode added = client.next("response.output_item.added");
            String itemId = added.at("/item/id").asText();
            String callId = added.at("/item/call_id").asText();
            assertTrue(callId.matches("call" + ID_DIGITS), callId);
            String inProgress = "{\"id\":\"" + itemId + "\",\"type\":\"function_call\",\"status\":\"in_progress\","
                    + "\"call_id\":\"" + callId + "\",\"name\":\"lookup_order\",\"arguments\":\"\"}";
            assertEvent("{\"type\":\"response.output_item.added\",\"response_id\":\"" + responseId + "\","
                    + "\"output_index\":0,\"item\":" + inProgress + "}", added);
            assertEvent("{\"type\":\"conversation.item.added\",\"previous_item_id\":\"" + user + "\",\"item\":"
                    + inProgress + "}", client.next("conversation.item.added"));

            List<JsonNode> rest = client.until("response.done");
            StringBuilder streamed = new StringBuilder();
            List<String> types = new ArrayList<>();
            for (JsonNode e : rest) {
                String type = e.get("type").asText();
                if (type.equals("response.function_call_arguments.delta")) {
                    assertEvent("{\"type\":\"response.function_call_arguments.delta\",\"response_id\":\"" + responseId
                            + "\",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"call_id\":\"" + callId
                            + "\",\"delta\":" + WireClient.JSON.writeValueAsString(e.get("delta").asText()) + "}", e);
                    streamed.append(e.get("delta").asText());
                }
                types.add(type);
            }
            assertEquals(ARGUMENTS, streamed.toString(), "the deltas join to the arguments");
            assertEquals(List.of("response.function_call_arguments.delta", "response.function_call_arguments.delta",
                    "response.function_call_arguments.delta", "response.function_call_arguments.done",
                    "conversation.item.done", "response.output_item.done", "response.done"), types,
                    "43 characters in pieces of 16, then done; no content parts, no audio");
            String completed = "{\"id\":\"" + itemId + "\",\"type\":\"function_call\",\"status\":\"completed\","
                    + "\"call_id\":\"" + callId + "\",\"name\":\"lookup_order\",\"arguments\":"
                    + WireClient.JSON.writeValueAsString(ARGUMENTS) + "}";
            assertEvent("{\"type\":\"response.function_call_arguments.done\",\"response_id\":\"" + responseId
                    + "\",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"call_id\":\"" + callId + "\","
                    + "\"name\":\"lookup_order\",\"arguments\":" + WireClient.JSON.writeValueAsString(ARGUMENTS) + "}",
                    rest.get(types.indexOf("response.function_call_arguments.done")));
            assertEvent("{\"type\":\"response.output_item.done\",\"response_id\":\"" + responseId + "\","
                    + "\"output_index\":0,\"item\":" + completed + "}",
                    rest.get(types.indexOf("response.output_item.done")));
            JsonNode done = rest.get(rest.size() - 1).get("response");
            assertEquals("completed", done.get("status").asText());
            assertEquals(WireClient.JSON.readTree(completed), done.at("/output/0"));
            assertEquals(List.of(new DemoConnection.ToolCall(callId, "lookup_order", ARGUMENTS, null)),
                    agent.connection(1).toolCalls());
            client.next("rate_limits.updated");                 // follows every response.done, a moment later

            client.send("{\"type\":\"conversation.item.create\",\"event_id\":\"wrong\",\"item\":{\"type\":"
                    + "\"function_call_output\",\"call_id\":\"call_nope\",\"output\":\"{}\"}}");
            assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                    + "\"invalid_tool_call_id\",\"message\":\"Tool call ID 'call_nope' not found in conversation.\","
                    + "\"param\":null,\"event_id\":\"wrong\"}}", client.until("error").getLast());
            String output = "{\"status\":\"shipped\"}";
            client.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"function_call_output\","
                    + "\"call_id\":\"" + callId + "\",\"output\":" + WireClient.JSON.writeValueAsString(output) + "}}");
            JsonNode outputAdded = client.next("conversation.item.added");
            assertEquals(itemId, outputAdded.get("previous_item_id").asText());
            assertEquals(callId, outputAdded.at("/item/call_id").asText());
            client.next("conversation.item.done");
            assertEquals(List.of(new DemoConnection.ToolCall(callId, "lookup_order", ARGUMENTS, output)),
                    agent.connection(1).toolCalls());

            client.send("{\"type\":\"response.create\"}");
            JsonNode spoken = client.until("response.done").getLast().get("response");
            assertEquals("completed", spoken.get("status").asText());
            assertEquals("output_audio", spoken.at("/output/0/content/0/type").asText(), "then the model speaks");
            List<String> kinds = agent.connection(1).conversation().stream().map(DemoConnection.Item::contentType)
                    .toList();
            assertEquals(List.of("input_audio", "function_call", "function_call_output", "output_audio"), kinds);
            assertEquals(List.of("invalid_tool_call_id"), agent.connection(1).refusals());
        }
    }

    @Test
    void whileTheCallIsStreamedTheResponseIsActiveAndCanBeCancelled() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script().withReplyDelayMs(600_000))) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send(MANUAL);
            client.next("session.updated");
            commitTurn(client);
            client.send("{\"type\":\"response.create\"}");
            String responseId = client.next("response.created").at("/response/id").asText();
            JsonNode item = client.next("response.output_item.added").get("item");
            client.next("conversation.item.added");
            client.send("{\"type\":\"response.create\",\"event_id\":\"early\"}");
            assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                    + "\"conversation_already_has_active_response\",\"message\":\"Conversation already has an active"
                    + " response in progress: " + responseId + ". Wait until the response is finished before creating"
                    + " a new one.\",\"param\":null,\"event_id\":\"early\"}}", client.next("error"));
            client.send("{\"type\":\"response.cancel\"}");
            JsonNode done = client.next("response.done").get("response");
            assertEquals("cancelled", done.get("status").asText());
            assertEquals("client_cancelled", done.at("/status_details/reason").asText());
            assertEquals("incomplete", done.at("/output/0/status").asText());
            assertEquals(item.get("call_id"), done.at("/output/0/call_id"));
            assertEquals(List.of(), agent.connection(1).toolCalls(), "a cancelled call was never made");
        }
    }

    @Test
    void aToolTheSessionDoesNotDeclareIsNeverCalled() throws Exception {
        try (DemoAgent agent = DemoAgent.start(script())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":"
                    + "{\"turn_detection\":null}}}}");
            client.next("session.updated");
            commitTurn(client);
            client.send("{\"type\":\"response.create\"}");
            client.next("response.created");
            assertEquals("message", client.next("response.output_item.added").at("/item/type").asText());
            client.until("response.done");
            assertEquals(List.of(), agent.connection(1).toolCalls());
        }
    }

    @Test
    void scriptsRefuseToolCallsThatCannotBeMade() {
        DemoScript d = DemoScript.defaults();
        assertEquals("turns are numbered from 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withToolCall(0, "f", "{}")).getMessage());
        assertEquals("not a function name: 'a b'",
                assertThrows(IllegalArgumentException.class, () -> d.withToolCall(1, "a b", "{}")).getMessage());
        assertEquals("arguments must be a JSON object, got: [1]",
                assertThrows(IllegalArgumentException.class, () -> d.withToolCall(1, "f", "[1]")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withToolCall(1, "f", "{}").withToolCall(1, "g", "{}"));
        assertEquals(new DemoToolCall("f", "{}"), d.withToolCall(2, "f", "{}").toolCallOn(2));
        assertEquals(null, d.withToolCall(2, "f", "{}").toolCallOn(1));
    }
}
