package gateway.realtime;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;

/** What a connection attached to an {@link EmbeddedChannel} wrote, read back as the server would read it. */
final class WrittenFrames {

    /** Larger than any frame in the tests. */
    private static final int MAX_FRAME = 1 << 16;

    private WrittenFrames() {
    }

    /**
     * The text of the next frame {@code channel} wrote: an event's frame as it is, an append's masked bytes through
     * a server's frame decoder (RFC 6455 §5.3).
     */
    static String nextText(EmbeddedChannel channel) {
        Object written = channel.readOutbound();
        if (written instanceof TextWebSocketFrame event) {
            try {
                return event.text();
            } finally {
                event.release();
            }
        }
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, MAX_FRAME));
        server.writeInbound((ByteBuf) written);
        TextWebSocketFrame frame = server.readInbound();
        try {
            return frame.text();
        } finally {
            frame.release();
            assertFalse(server.finish());
        }
    }
}
