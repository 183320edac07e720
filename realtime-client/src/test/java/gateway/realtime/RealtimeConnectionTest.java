package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A connection attached to a channel past the upgrade: what the channel reads reaches the listener, appends leave. */
class RealtimeConnectionTest {

    private final RecordingListener listener = new RecordingListener();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private static String base64(short[] pcm) {
        byte[] le = new byte[2 * pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            le[2 * i] = (byte) pcm[i];
            le[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return Base64.getEncoder().encodeToString(le);
    }

    @Test
    void attachedConnectionDeliversTheDeltasReadAndWritesAppendsAsMaskedFrames() throws Exception {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener);
        short[] delta = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 1234};
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"response.output_audio.delta\","
                + "\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"delta\":\"" + base64(delta) + "\"}"));
        assertArrayEquals(delta, listener.audio("resp_1"));

        short[] pcm = {5, -5, 300, -300, 7};
        connection.appendAudio(pcm, 1, 3);
        assertEquals(3, connection.appendedSamples());
        assertEquals("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + base64(new short[] {-5, 300, -300})
                + "\"}", WrittenFrames.nextText(channel));

        assertFalse(channel.finish());
        assertEquals(new RecordingListener.Closed(-1, "connection lost"), listener.closed.getNow(null));
    }

    private static String appendOf(short[] pcm) {
        return "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + base64(pcm) + "\"}";
    }

    private static short[] frame(int seed) {
        short[] pcm = new short[480];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (seed * 1000 + i * 7);
        }
        return pcm;
    }

    @Test
    void appendsLeaveInBatchesInOrderAndAHeldOneLeavesAfterABatchOfTicks() {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener, 60);
        connection.appendAudio(frame(1), 0, 480);
        connection.appendAudio(frame(2), 0, 480);
        assertNull(channel.readOutbound(), "40 ms held: nothing reaches the socket yet");
        assertEquals(960, connection.appendedSamples(), "the input clock counts what was written");
        connection.appendAudio(frame(3), 0, 480);
        assertEquals(appendOf(frame(1)), WrittenFrames.nextText(channel));
        assertEquals(appendOf(frame(2)), WrittenFrames.nextText(channel));
        assertEquals(appendOf(frame(3)), WrittenFrames.nextText(channel));
        assertNull(channel.readOutbound());

        connection.appendAudio(frame(4), 0, 480);
        connection.tick();
        connection.tick();
        assertNull(channel.readOutbound(), "held for at most 60 ms: three ticks");
        connection.tick();
        assertEquals(appendOf(frame(4)), WrittenFrames.nextText(channel));
        connection.tick();
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }

    @Test
    void anEventOrTheCloseTakesTheHeldAudioWithItAheadOfIt() {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener, 40);
        connection.appendAudio(frame(1), 0, 480);
        connection.send(new ClientEvent.InputAudioCommit());
        assertEquals(appendOf(frame(1)), WrittenFrames.nextText(channel));
        assertEquals("{\"type\":\"input_audio_buffer.commit\"}", WrittenFrames.nextText(channel));

        connection.appendAudio(frame(2), 0, 480);
        connection.tick();
        assertNull(channel.readOutbound(), "the event's flush started the batch again");
        connection.close();
        assertEquals(appendOf(frame(2)), WrittenFrames.nextText(channel));
        CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, channel.readOutbound());
        assertEquals(1000, close.statusCode());
        close.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void g711CodesCountAsTheTimelineSamplesTheyStandFor() {
        RealtimeConnection connection = RealtimeConnection.attach(channel, listener, 40);
        byte[] codes = new byte[160];
        connection.appendCodes(codes, 0, 160);
        assertNull(channel.readOutbound(), "160 codes are 20 ms");
        connection.appendCodes(codes, 0, 160);
        String append = "{\"type\":\"input_audio_buffer.append\",\"audio\":\""
                + Base64.getEncoder().encodeToString(codes) + "\"}";
        assertEquals(append, WrittenFrames.nextText(channel));
        assertEquals(append, WrittenFrames.nextText(channel));
        assertEquals(960, connection.appendedSamples());
        assertFalse(channel.finish());
    }
}
