package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
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
}
