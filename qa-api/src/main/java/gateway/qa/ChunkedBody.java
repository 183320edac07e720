package gateway.qa;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The body of a streamed response as an {@link OutputStream}, for a producer on a thread of its own (never an event
 * loop): bytes gather in a {@value #CHUNK_BYTES}-byte buffer, each full buffer is written as one HTTP chunk, and the
 * producer waits until that chunk has gone out before it fills the next. So a slow client slows the producer down
 * and at most one chunk waits in memory. {@link #close} ends the response; a client gone or stalled for
 * {@link #STALL_SECONDS} is an {@link IOException}, after which the producer calls {@link Exchange#abort}.
 */
final class ChunkedBody extends OutputStream {

    static final int CHUNK_BYTES = RepresentationSender.CHUNK_BYTES;
    /** Longer than the listener's idle timeout, which closes a connection that takes nothing. */
    static final long STALL_SECONDS = HttpPipeline.IDLE_SECONDS + 10L;

    private final Exchange exchange;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private int filled;
    private long written;

    ChunkedBody(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Bytes of body handed to the connection so far. */
    long written() {
        return written + filled;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == buffer.length) {
            send();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == buffer.length) {
                send();
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is buffered and ends the response. */
    @Override
    public void close() throws IOException {
        if (filled > 0) {
            send();
        }
        exchange.finish();
    }

    private void send() throws IOException {
        ChannelFuture sent = exchange.write(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, filled)));
        written += filled;
        filled = 0;
        try {
            if (!sent.await(STALL_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the client took nothing for " + STALL_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the client read");
        }
        if (!sent.isSuccess()) {
            throw new IOException("the connection failed: " + sent.cause());
        }
    }
}
