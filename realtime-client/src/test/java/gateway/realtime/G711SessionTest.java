package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoAgent;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session in G.711 (realtime.audio-format pcmu/pcma): session.update names the format both ways without a rate,
 * appends carry the codes as they are, deltas come back as codes, and the demo agent hears and speaks the format.
 */
class G711SessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MS = 5000;
    private static final SessionSettings PCMU = new SessionSettings("Be brief.", "marin", "gpt-4o-transcribe")
            .withAudioFormat(AudioFormat.PCMU);

    private final RecordingListener listener = new RecordingListener();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void configNamesAreTheFormatsAndAnythingElseIsRefused() {
        assertEquals(AudioFormat.PCM24K, AudioFormat.named("pcm24k"));
        assertEquals(AudioFormat.PCMU, AudioFormat.named("pcmu"));
        assertEquals(AudioFormat.PCMA, AudioFormat.named("pcma"));
        assertEquals("'ulaw' is not one of pcm24k, pcmu, pcma",
                assertThrows(IllegalArgumentException.class, () -> AudioFormat.named("ulaw")).getMessage());
        assertEquals(480, AudioFormat.PCMU.timelineSamples(160), "20 ms of G.711 is 160 octets, 480 samples");
        assertEquals(480, AudioFormat.PCM24K.timelineSamples(480));
    }

    @Test
    void theUpdateNamesG711BothWaysAndAppendsAndDeltasAreTheCodesThemselves() throws Exception {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener);
        connection.send(new ClientEvent.SessionUpdate(PCMU));
        JsonNode audio = JSON.readTree(WrittenFrames.nextText(channel)).path("session").path("audio");
        assertEquals(JSON.readTree("{\"type\":\"audio/pcmu\"}"), audio.path("input").path("format"));
        assertEquals(JSON.readTree("{\"type\":\"audio/pcmu\"}"), audio.path("output").path("format"));

        byte[] codes = {(byte) 0xFF, 0x7F, 0x00, (byte) 0x80, 0x12, (byte) 0xA5, 0x33};
        connection.appendCodes(codes, 1, 5);
        assertEquals(15, connection.appendedSamples(), "five codes are 15 samples of the input clock");
        assertEquals("{\"type\":\"input_audio_buffer.append\",\"audio\":\""
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(codes, 1, 6)) + "\"}",
                WrittenFrames.nextText(channel));

        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"response.output_audio.delta\","
                + "\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"delta\":\""
                + Base64.getEncoder().encodeToString(codes) + "\"}"));
        assertArrayEquals(codes, listener.codes("resp_1"), "the delta's octets, not read as PCM16");
        assertEquals(0, listener.audio("resp_1").length);
        assertFalse(channel.finish());
    }

    @Test
    void aPcmSessionStillNamesItsRate() throws Exception {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener);
        connection.send(new ClientEvent.SessionUpdate(PCMU.withAudioFormat(AudioFormat.PCM24K)));
        JsonNode format = JSON.readTree(WrittenFrames.nextText(channel)).path("session").path("audio").path("output")
                .path("format");
        assertEquals(JSON.readTree("{\"type\":\"audio/pcm\",\"rate\":24000}"), format);
        assertFalse(channel.finish());
    }

    /** The demo agent hears μ-law (its VAD finds the tone) and answers in μ-law: the echo comes back as codes. */
    @Test
    void theDemoAgentHearsAndSpeaksMuLaw() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RealtimeClient client = new RealtimeClient(RealtimeClient.defaultSslContext(), (int) WAIT_MS);
        try (DemoAgent agent = DemoAgent.start(DemoScript.defaults())) {
            RealtimeConnection c = client.connect(agent.url(), null, group.next(), listener)
                    .get(2 * WAIT_MS, TimeUnit.MILLISECONDS);
            listener.await(ServerEvent.SessionCreated.class, WAIT_MS);
            c.send(new ClientEvent.SessionUpdate(PCMU));
            listener.await(ServerEvent.SessionUpdated.class, WAIT_MS);
            short[] said = Signals.concat(Signals.silence(1000), Signals.tone(1500, 300, -10), Signals.silence(1000));
            byte[] codes = new byte[said.length / 3];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = gateway.rtp.G711.PCMU.encode(said[3 * i]);
            }
            for (int at = 0; at < codes.length; at += 160) {
                c.appendCodes(codes, at, Math.min(160, codes.length - at));
            }
            ServerEvent.SpeechStarted started = listener.await(ServerEvent.SpeechStarted.class, WAIT_MS);
            assertEquals(700, started.audioStartMs(), 40, "the input clock counts 3 samples per code");
            ServerEvent.ResponseCreated created = listener.await(ServerEvent.ResponseCreated.class, WAIT_MS);
            listener.await(ServerEvent.ResponseDone.class, WAIT_MS);
            byte[] reply = listener.codes(created.responseId());
            assertTrue(Math.abs(reply.length - 1500 * 8) <= 40 * 8, "1.5 s of echo at 8 kHz, one octet a sample: "
                    + reply.length);
            assertEquals(0, listener.audio(created.responseId()).length);
            short[] heard = new short[reply.length];
            for (int i = 0; i < reply.length; i++) {
                heard[i] = gateway.rtp.G711.PCMU.decode(reply[i]);
            }
            double rms = Signals.rms(heard, 800, heard.length - 800);
            assertTrue(rms > 0.2 * 32767 * Math.pow(10, -10 / 20.0), "the echo carries the tone: rms " + rms);
            assertEquals(3000L * 24 + 500 * 24, c.appendedSamples());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
