package gateway.demoagent;

import static gateway.demoagent.WireClient.ID_DIGITS;
import static gateway.demoagent.WireClient.assertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text items from the client (protocol doc §3): acknowledged with added then done, kept in the conversation. */
class ConversationItemsTest {

    private static String create(String item) {
        return "{\"type\":\"conversation.item.create\",\"event_id\":\"c1\",\"item\":" + item + "}";
    }

    /** Reads conversation.item.added then .done for one item and returns its id; both must be exactly as given. */
    private static String assertAcknowledged(WireClient client, String previous, String role, String partType,
                                             String text) throws Exception {
        JsonNode added = client.next("conversation.item.added");
        String id = added.at("/item/id").asText();
        String body = "\"previous_item_id\":" + (previous == null ? "null" : "\"" + previous + "\"")
                + ",\"item\":{\"id\":\"" + id + "\",\"type\":\"message\",\"status\":\"completed\",\"role\":\""
                + role + "\",\"content\":[{\"type\":\"" + partType + "\",\"text\":" + WireClient.JSON
                .writeValueAsString(text) + "}]}}";
        assertEvent("{\"type\":\"conversation.item.added\"," + body, added);
        assertEvent("{\"type\":\"conversation.item.done\"," + body, client.next("conversation.item.done"));
        return id;
    }

    @Test
    void textItemsOfEachRoleAreAcknowledgedInOrderAndKept() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send(create("{\"type\":\"message\",\"role\":\"system\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"The call was reconnected.\"}]}"));
            String system = assertAcknowledged(client, null, "system", "input_text", "The call was reconnected.");
            assertTrue(system.matches("item" + ID_DIGITS), system);
            client.send(create("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"A table for \\\"two\\\", please.\"}]}"));
            String user = assertAcknowledged(client, system, "user", "input_text", "A table for \"two\", please.");
            client.send(create("{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                    + "\"text\":\"Booked for 8 pm.\"}]}"));
            String assistant = assertAcknowledged(client, user, "assistant", "output_text", "Booked for 8 pm.");

            assertEquals(List.of(
                    new DemoConnection.Item(system, "system", "input_text", "The call was reconnected."),
                    new DemoConnection.Item(user, "user", "input_text", "A table for \"two\", please."),
                    new DemoConnection.Item(assistant, "assistant", "output_text", "Booked for 8 pm.")),
                    agent.connection(1).conversation());
        }
    }

    @Test
    void clientIdsAndPreviousItemIdPlaceTheItem() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send(create("{\"id\":\"ctx_b\",\"type\":\"message\",\"role\":\"user\",\"content\":["
                    + "{\"type\":\"input_text\",\"text\":\"b\"}]}"));
            assertEquals("ctx_b", assertAcknowledged(client, null, "user", "input_text", "b"));
            client.send("{\"type\":\"conversation.item.create\",\"previous_item_id\":\"root\",\"item\":{\"id\":"
                    + "\"ctx_a\",\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"a\"}]}}");
            assertEquals("ctx_a", assertAcknowledged(client, null, "user", "input_text", "a"));
            client.send("{\"type\":\"conversation.item.create\",\"previous_item_id\":\"ctx_a\",\"item\":{"
                    + "\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"a2\"},"
                    + "{\"type\":\"input_text\",\"text\":\"a3\"}]}}");
            JsonNode added = client.next("conversation.item.added");
            assertEquals("ctx_a", added.get("previous_item_id").asText());
            assertEquals("[{\"type\":\"input_text\",\"text\":\"a2\"},{\"type\":\"input_text\",\"text\":\"a3\"}]",
                    added.at("/item/content").toString());
            client.next("conversation.item.done");
            List<String> order = new ArrayList<>();
            agent.connection(1).conversation().forEach(i -> order.add(i.text()));
            assertEquals(List.of("a", "a2", "b"), order);

            client.send("{\"type\":\"conversation.item.create\",\"event_id\":\"c9\",\"previous_item_id\":\"nope\","
                    + "\"item\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"x\"}]}}");
            assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_value\","
                    + "\"message\":\"Invalid value: previous_item_id 'nope' is not an item of this conversation.\","
                    + "\"param\":\"previous_item_id\",\"event_id\":\"c9\"}}", client.next("error"));
            client.send(create("{\"id\":\"ctx_a\",\"type\":\"message\",\"role\":\"user\",\"content\":["
                    + "{\"type\":\"input_text\",\"text\":\"again\"}]}"));
            assertEquals("item.id", client.next("error").at("/error/param").asText());
            assertEquals(3, agent.connection(1).conversation().size());
        }
    }

    @Test
    void malformedItemsGetInvalidValueNamingTheParameterAndChangeNothing() throws Exception {
        String[][] cases = {
            {"\"just text\"", "item", "Invalid type for 'item': expected an object."},
            {"{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":\"{}\"}", "item.type",
                "Invalid value: 'function_call'. The demo agent creates only 'message' and 'function_call_output'"
                        + " items."},
            {"{\"type\":\"message\",\"role\":\"developer\",\"content\":[]}", "item.role",
                "Invalid value: 'developer'. Supported values are: 'user', 'assistant', and 'system'."},
            {"{\"type\":\"message\",\"role\":\"user\",\"content\":[]}", "item.content",
                "Invalid 'item.content': expected a non-empty array of content parts."},
            {"{\"type\":\"message\",\"role\":\"user\",\"content\":{\"type\":\"input_text\",\"text\":\"t\"}}",
                "item.content", "Invalid 'item.content': expected a non-empty array of content parts."},
            {"{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"input_text\",\"text\":\"t\"}]}",
                "item.content[0].type", "Invalid value: 'input_text'. Supported values are: 'output_text'."},
            {"{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"ok\"},"
                + "{\"type\":\"input_audio\",\"audio\":\"AAAA\"}]}",
                "item.content[1].type", "Invalid value: 'input_audio'. Supported values are: 'input_text'."},
            {"{\"type\":\"message\",\"role\":\"system\",\"content\":[{\"type\":\"input_text\",\"text\":7}]}",
                "item.content[0].text", "Invalid type for 'item.content[0].text': expected a string."},
            {"{\"id\":\"" + "x".repeat(33) + "\",\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"t\"}]}", "item.id",
                "Invalid 'item.id': expected a string of 1 to 32 characters."},
        };
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            for (String[] c : cases) {
                client.send(create(c[0]));
                assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                        + "\"invalid_value\",\"message\":" + WireClient.JSON.writeValueAsString(c[2]) + ",\"param\":\""
                        + c[1] + "\",\"event_id\":\"c1\"}}", client.next("error"));
            }
            client.send("{\"type\":\"conversation.item.create\"}");
            assertEvent("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":"
                    + "\"missing_required_parameter\",\"message\":\"Missing required parameter: 'item'.\","
                    + "\"param\":\"item\",\"event_id\":null}}", client.next("error"));
            assertEquals(List.of(), agent.connection(1).conversation());
        }
    }

    @Test
    void aCommittedTurnFollowsTheTextItemsInTheConversation() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            WireClient client = WireClient.open(agent.url());
            client.next("session.created");
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\","
                    + "\"audio\":{\"input\":{\"turn_detection\":null}}}}");
            client.next("session.updated");
            client.send(create("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"earlier\"}]}"));
            String text = assertAcknowledged(client, null, "user", "input_text", "earlier");
            String silence = java.util.Base64.getEncoder().encodeToString(new byte[200 * 48]);
            client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + silence + "\"}");
            client.send("{\"type\":\"input_audio_buffer.commit\"}");
            JsonNode committed = client.next("input_audio_buffer.committed");
            assertEquals(text, committed.get("previous_item_id").asText());
            String audio = committed.get("item_id").asText();
            assertEquals(text, client.next("conversation.item.added").get("previous_item_id").asText());
            assertEquals(List.of(new DemoConnection.Item(text, "user", "input_text", "earlier"),
                    new DemoConnection.Item(audio, "user", "input_audio", null)), agent.connection(1).conversation());
            assertEquals(200 * 24, agent.connection(1).inputSamples());
        }
    }
}
