package gateway.realtime;

import io.netty.buffer.ByteBuf;
import java.io.InputStream;

/** A reusable {@link InputStream} over the readable bytes of one {@link ByteBuf} at a time (no copy). */
final class ByteBufStream extends InputStream {

    private ByteBuf buf;

    /** Points the stream at {@code buf}; reading consumes its readable bytes. */
    ByteBufStream reset(ByteBuf buf) {
        this.buf = buf;
        return this;
    }

    @Override
    public int read() {
        return buf.isReadable() ? buf.readByte() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = Math.min(len, buf.readableBytes());
        if (n == 0) {
            return len == 0 ? 0 : -1;
        }
        buf.readBytes(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buf.readableBytes();
    }
}
