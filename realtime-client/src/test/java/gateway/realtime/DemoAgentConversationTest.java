package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoConnection;
import gateway.demoagent.DemoScript;
import gateway.testkit.Await;
import gateway.testkit.Signals;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The RealtimeClient against the demo agent over real loopback WebSockets. */
class DemoAgentConversationTest {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private static final EventLoop LOOP = GROUP.next();
    private static final long WAIT_MS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionSettings SETTINGS = new SessionSettings("Be brief.", "marin", "gpt-4o-transcribe");
    private final RealtimeClient client = new RealtimeClient(RealtimeClient.defaultSslContext(), 2000);

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private RealtimeConnection connect(DemoAgent agent, String key, RecordingListener listener) throws Exception {
        return client.connect(agent.url(), key, LOOP, listener).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Appends in 20 ms frames, as fast as the socket takes them. */
    private static void appendInFrames(RealtimeConnection c, short[] pcm) {
        for (int at = 0; at < pcm.length; at += 480) {
            c.appendAudio(pcm, at, Math.min(480, pcm.length - at));
        }
    }

    @Test
    void aServerVadTurnIsDetectedCommittedAnsweredWithAnEchoAndTranscribed() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            c.send(new ClientEvent.SessionUpdate(SETTINGS));
            l.await(ServerEvent.SessionUpdated.class, WAIT_MS);
            short[] tone = Signals.tone(1500, 300, -10);
            appendInFrames(c, Signals.concat(Signals.silence(1000), tone, Signals.silence(1000)));

            ServerEvent.SpeechStarted started = l.await(ServerEvent.SpeechStarted.class, WAIT_MS);
            assertEquals(700, started.audioStartMs(), 40);
            ServerEvent.SpeechStopped stopped = l.await(ServerEvent.SpeechStopped.class, WAIT_MS);
            assertEquals(3000, stopped.audioEndMs(), 60);
            assertEquals(started.itemId(), stopped.itemId());
            assertTrue(started.itemId().startsWith("item_"), started.itemId());
            ServerEvent.InputAudioCommitted committed = l.await(ServerEvent.InputAudioCommitted.class, WAIT_MS);
            assertEquals(new ServerEvent.InputAudioCommitted(started.itemId(), null), committed);

            ServerEvent.ResponseDone done = l.await(ServerEvent.ResponseDone.class, WAIT_MS);
            ServerEvent.ResponseCreated created = l.await(ServerEvent.ResponseCreated.class, WAIT_MS);
            assertEquals(new ServerEvent.ResponseDone(created.responseId(), "completed", null, null, null,
                    new ServerEvent.Usage(2, 15, 0, 6, 30)), done, "'Be brief.', 1.5 s heard, 6 words and 1.5 s"
                    + " said, as the demo counts tokens");
            assertTrue(created.responseId().startsWith("resp_"), created.responseId());
            ServerEvent.OutputItemAdded item = l.await(ServerEvent.OutputItemAdded.class, WAIT_MS);
            assertEquals(created.responseId(), item.responseId());
            assertEquals("message", item.itemType());
            assertEquals(new ServerEvent.OutputAudioDone(created.responseId(), item.itemId()),
                    l.await(ServerEvent.OutputAudioDone.class, WAIT_MS));
            assertEquals(new ServerEvent.OutputAudioTranscriptDone(created.responseId(), item.itemId(),
                    "You said something for 1.50 seconds."), l.await(ServerEvent.OutputAudioTranscriptDone.class, 0));
            assertArrayEquals(tone, l.audio(created.responseId()), "the echo is the caller's tone, sample for sample");
            assertTrue(l.log().contains("delta " + created.responseId() + " " + item.itemId()));
            assertEquals(new ServerEvent.InputTranscriptionCompleted(started.itemId(), "caller speech 1.50 s"),
                    l.await(ServerEvent.InputTranscriptionCompleted.class, WAIT_MS));
            assertEquals(new ServerEvent.RateLimitsUpdated(List.of(new ServerEvent.RateLimit("requests", 5000, 4999,
                    60), new ServerEvent.RateLimit("tokens", 40_000, 40_000 - 53, 60))),
                    l.await(ServerEvent.RateLimitsUpdated.class, WAIT_MS), "the limits go down with use");
            assertEquals(3500L * 24, c.appendedSamples());
            assertTrue(LOOP.inEventLoop(l.callbackThread), "callbacks run on the connection's loop");

            c.send(new ClientEvent.ItemTruncate(item.itemId(), 0, 1000));
            assertEquals(new ServerEvent.ItemTruncated(item.itemId(), 1000),
                    l.await(ServerEvent.ItemTruncated.class, WAIT_MS));
            c.send(new ClientEvent.ItemTruncate(item.itemId(), 0, 1501));
            ServerEvent.ErrorEvent error = l.await(ServerEvent.ErrorEvent.class, WAIT_MS);
            assertEquals("invalid_request_error", error.errorType());
            assertEquals("invalid_value", error.code());
            assertEquals("audio_end_ms", error.param());

            List<String> types = agent.receivedTypes();
            assertEquals("session.update", types.get(0));
            assertEquals(175, types.stream().filter("input_audio_buffer.append"::equals).count());
            assertEquals(List.of("conversation.item.truncate", "conversation.item.truncate"),
                    types.subList(types.size() - 2, types.size()));
            assertEquals(1, agent.connections());
        }
    }

    @Test
    void speechDuringAReplyCancelsItWithTurnDetectedAndCancelWorksAsDocumented() throws Exception {
        DemoScript script = DemoScript.defaults().withReplyMode(DemoScript.ReplyMode.TONE).withToneMs(3000)
                .withReplyDelayMs(0).withDeltaIntervalMs(100);
        try (DemoAgent agent = DemoAgent.start(script)) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            c.send(new ClientEvent.SessionUpdate(SETTINGS));
            l.await(ServerEvent.SessionUpdated.class, WAIT_MS);
            appendInFrames(c, Signals.concat(Signals.tone(300, 300, -10), Signals.silence(600)));
            ServerEvent.ResponseCreated first = l.await(ServerEvent.ResponseCreated.class, WAIT_MS);
            short[] heard = l.awaitAudio(first.responseId(), 2400, WAIT_MS);
            assertArrayEquals(Arrays.copyOf(DemoAgent.tone(3000), 2400), Arrays.copyOf(heard, 2400));

            appendInFrames(c, Signals.concat(Signals.tone(300, 300, -10), Signals.silence(600)));
            ServerEvent.ResponseDone cancelled = l.await(ServerEvent.ResponseDone.class,
                    e -> e.responseId().equals(first.responseId()), WAIT_MS);
            assertEquals(List.of(first.responseId(), "cancelled", "turn_detected"),
                    List.of(cancelled.responseId(), cancelled.status(), cancelled.reason()));
            List<String> log = l.log();
            int doneAt = log.indexOf("response.done");
            assertEquals("input_audio_buffer.speech_started",
                    log.subList(0, doneAt).stream().filter(s -> s.startsWith("input_audio_buffer.speech_started"))
                            .reduce((a, b) -> b).orElseThrow());
            assertFalse(log.subList(doneAt, log.size()).stream().anyMatch(s -> s.contains(first.responseId())),
                    "no deltas of a cancelled response: " + log);
            assertTrue(l.audio(first.responseId()).length < 3000 * 24);

            ServerEvent.ResponseCreated second = l.await(ServerEvent.ResponseCreated.class,
                    e -> !e.responseId().equals(first.responseId()), WAIT_MS);
            c.send(new ClientEvent.ResponseCancel(null));
            ServerEvent.ResponseDone clientCancelled = l.await(ServerEvent.ResponseDone.class,
                    e -> e.responseId().equals(second.responseId()), WAIT_MS);
            assertEquals(List.of(second.responseId(), "cancelled", "client_cancelled"), List.of(
                    clientCancelled.responseId(), clientCancelled.status(), clientCancelled.reason()));
            c.send(new ClientEvent.ResponseCancel(null));
            assertEquals("response_cancel_not_active", l.await(ServerEvent.ErrorEvent.class, WAIT_MS).code());
        }
    }

    @Test
    void aWrongKeyGetsInvalidApiKeyThenClose3000AndTheRightKeyWorks() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withRequiredApiKey("sk-right"))) {
            for (String wrong : new String[] {"sk-wrong", null}) {
                RecordingListener l = new RecordingListener();
                connect(agent, wrong, l);
                ServerEvent.ErrorEvent error = l.await(ServerEvent.ErrorEvent.class, WAIT_MS);
                assertEquals("invalid_api_key", error.code());
                assertEquals("invalid_request_error", error.errorType());
                RecordingListener.Closed closed = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(new RecordingListener.Closed(3000, "invalid_request_error.invalid_api_key"), closed);
            }
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, "sk-right", l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            c.send(new ClientEvent.SessionUpdate(SETTINGS));
            l.await(ServerEvent.SessionUpdated.class, WAIT_MS);
            assertTrue(c.isOpen());
            assertFalse(l.events().stream().anyMatch(e -> e instanceof ServerEvent.ErrorEvent));
            assertEquals(3, agent.connections());
        }
    }

    @Test
    void aServerSideCloseIsReportedOnceAndTheConnectionIsNoLongerOpen() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().closeAfterMs(1, 200, 1011))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            RecordingListener.Closed closed = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals(1011, closed.status());
            assertFalse(c.isOpen());
            c.appendAudio(new short[480], 0, 480);
            c.close();
            LOOP.submit(() -> { }).get(WAIT_MS, TimeUnit.MILLISECONDS); // what close() queued on the loop has run
            assertEquals(1, l.closedCalls.get());
            assertEquals(0, c.appendedSamples());
        }
    }

    @Test
    void closeSendsANormalCloseOnceAndStopsSending() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            c.close();
            c.close();
            assertFalse(c.isOpen());
            c.appendAudio(new short[480], 0, 480);
            assertEquals(new RecordingListener.Closed(1000, ""), l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
            // The agent has seen the close frame, so it has read everything written before it (TCP keeps order).
            assertEquals(DemoConnection.How.CLOSE_RECEIVED,
                    agent.connection(1).ended().get(WAIT_MS, TimeUnit.MILLISECONDS).how());
            LOOP.submit(() -> { }).get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals(1, l.closedCalls.get());
            assertEquals(List.of(), agent.receivedTypes());
        }
    }

    @Test
    void contextItemsAreAcknowledgedInOrderAndTheAgentKeepsThemAsSent() throws Exception {
        List<ClientEvent.ConversationItem.TextMessage> items = List.of(
                new ClientEvent.ConversationItem.SystemText("The call was reconnected; go on where you left off."),
                new ClientEvent.ConversationItem.UserText("A table for \"two\" \\ at 8,\nplease. \u00e9\uD83D\uDE00"),
                new ClientEvent.ConversationItem.AssistantText("Booked for 8 pm."));
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withRecordFrames(true))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            l.await(ServerEvent.SessionCreated.class, WAIT_MS);
            for (ClientEvent.ConversationItem item : items) {
                c.send(new ClientEvent.ConversationItemCreate(item));
            }
            List<ServerEvent> acks = l.awaitEvents(e -> e instanceof ServerEvent.Unknown, 6, WAIT_MS);
            assertEquals(List.of("conversation.item.added", "conversation.item.done", "conversation.item.added",
                    "conversation.item.done", "conversation.item.added", "conversation.item.done"),
                    acks.stream().map(ServerEvent::type).toList());
            assertFalse(l.events().stream().anyMatch(e -> e instanceof ServerEvent.ErrorEvent), l.log().toString());

            List<DemoConnection.Item> kept = agent.connection(1).conversation();
            assertEquals(List.of("system", "user", "assistant"), kept.stream().map(DemoConnection.Item::role).toList());
            assertEquals(List.of("input_text", "input_text", "output_text"),
                    kept.stream().map(DemoConnection.Item::contentType).toList());
            assertEquals(items.stream().map(ClientEvent.ConversationItem.TextMessage::text).toList(),
                    kept.stream().map(DemoConnection.Item::text).toList(), "the text survives both codecs");
            assertEquals(List.of("conversation.item.create", "conversation.item.create", "conversation.item.create"),
                    agent.connection(1).receivedTypes());
            JsonNode user = JSON.readTree(agent.connection(1).receivedFrames().get(1));
            assertEquals(JSON.readTree("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
                    + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                    + JSON.writeValueAsString(items.get(1).text()) + "}]}}"), user);
        }
    }

    @Test
    void serverPingsAreAnsweredWithPongs() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withPingIntervalMs(30))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            Await.until(() -> agent.pongs() >= 3, Duration.ofMillis(WAIT_MS), () -> "pongs: " + agent.pongs());
            assertTrue(c.isOpen());
        }
    }

    @Test
    void appendAudioSendsBase64Pcm16LittleEndianInTheDocumentedEvent() throws Exception {
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults().withRecordFrames(true))) {
            RecordingListener l = new RecordingListener();
            RealtimeConnection c = connect(agent, null, l);
            short[] pcm = new short[1001];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) (i * 65 - 32768);
            }
            pcm[1] = Short.MAX_VALUE;
            LOOP.submit(() -> c.appendAudio(pcm, 1, 1000)).get();
            assertEquals(1000, c.appendedSamples());
            Await.until(() -> !agent.receivedFrames().isEmpty(), Duration.ofMillis(WAIT_MS), () -> "no frame");
            JsonNode frame = JSON.readTree(agent.receivedFrames().get(0));
            assertEquals(List.of("type", "audio"), iterable(frame.fieldNames()));
            assertEquals("input_audio_buffer.append", frame.get("type").asText());
            byte[] bytes = Base64.getDecoder().decode(frame.get("audio").asText());
            short[] decoded = new short[bytes.length / 2];
            for (int i = 0; i < decoded.length; i++) {
                decoded[i] = (short) (bytes[2 * i] & 0xFF | bytes[2 * i + 1] << 8);
            }
            assertArrayEquals(Arrays.copyOfRange(pcm, 1, 1001), decoded);
            assertEquals(2000, bytes.length);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
