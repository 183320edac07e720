package gateway.qa;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers a GET or HEAD with a {@link Representation}: 304 when the client's copy is current, 206 for one
 * satisfiable byte range, 416 with {@code Content-Range: bytes *}{@code /length} for an unsatisfiable one, else 200
 * (RFC 9110 §13.2.2, §14, §15.3.7, §15.5.17). A local file is sent with a zero-copy FileRegion; anything else is
 * read {@value #CHUNK_BYTES} bytes at a time on the I/O executor and written when the previous chunk has gone out,
 * so a slow client holds at most one chunk in memory.
 */
final class RepresentationSender {

    private static final System.Logger LOG = System.getLogger(RepresentationSender.class.getName());
    /** Bytes read per step of a computed body. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Recordings hold personal data: no shared cache keeps them, and a browser revalidates before reuse. */
    static final String CACHE_CONTROL = "private, no-cache";

    private final Executor io;

    RepresentationSender(Executor io) {
        this.io = io;
    }

    /** Sends {@code representation} and closes it when done. I/O thread. */
    void send(Exchange exchange, Representation representation) {
        Validators validators = representation.validators();
        if (Preconditions.notModified(exchange.headers(), validators)) {
            closeQuietly(representation);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            addValidators(response.headers(), validators);
            exchange.send(response);
            return;
        }
        long length = representation.length();
        ByteRange.Request request = HttpMethod.GET.equals(exchange.method())
                && Preconditions.rangeApplies(exchange.headers(), validators)
                ? ByteRange.parse(exchange.headers().get(HttpHeaderNames.RANGE), length)
                : new ByteRange.Whole();
        if (request instanceof ByteRange.Unsatisfiable) {
            closeQuietly(representation);
            FullHttpResponse response = Exchange.error(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    ErrorCodes.RANGE_NOT_SATISFIABLE, "the range is outside the " + length + " bytes of the resource");
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, ByteRange.unsatisfiedRange(length));
            exchange.send(response);
            return;
        }
        ByteRange range = request instanceof ByteRange.Part part ? part.range() : new ByteRange(0, length - 1);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                request instanceof ByteRange.Part ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, representation.contentType());
        h.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
        h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        addValidators(h, validators);
        if (representation.disposition() != null) {
            h.set(HttpHeaderNames.CONTENT_DISPOSITION, representation.disposition());
        }
        if (request instanceof ByteRange.Part) {
            h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
        }
        if (exchange.isHead() || range.length() == 0) {
            closeQuietly(representation);
            exchange.send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), Unpooled.EMPTY_BUFFER, h,
                    new DefaultHttpHeaders()));
            return;
        }
        Optional<FileChannel> file = representation.file();
        if (file.isPresent()) {
            if (exchange.start(head)) {
                exchange.write(new DefaultFileRegion(file.get(), range.first(), range.length()));
                exchange.finish();
            } else {
                closeQuietly(representation);
            }
            return;
        }
        if (exchange.start(head)) {
            new Pump(exchange, representation, range.first(), range.last() + 1).step();
        } else {
            closeQuietly(representation);
        }
    }

    private static void addValidators(HttpHeaders headers, Validators validators) {
        headers.set(HttpHeaderNames.ETAG, validators.etag());
        headers.set(HttpHeaderNames.LAST_MODIFIED, validators.lastModifiedHeader());
        headers.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    }

    static void closeQuietly(Representation representation) {
        try {
            representation.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a representation failed: {0}", e.toString());
        }
    }

    /** Streams bytes [next, end) of a computed representation, one chunk in flight at a time. */
    private final class Pump {
        private final Exchange exchange;
        private final Representation representation;
        private final long end;
        private long next;

        Pump(Exchange exchange, Representation representation, long first, long end) {
            this.exchange = exchange;
            this.representation = representation;
            this.next = first;
            this.end = end;
        }

        /** Reads and writes the next chunk. I/O thread. */
        void step() {
            int n = (int) Math.min(CHUNK_BYTES, end - next);
            ByteBuf chunk = Unpooled.buffer(n);
            try {
                ByteBuffer target = ByteBuffer.wrap(chunk.array(), chunk.arrayOffset(), n);
                while (target.hasRemaining()) {
                    if (representation.read(next + target.position(), target) < 0) {
                        throw new EOFException("the resource ended early");
                    }
                }
            } catch (IOException | RuntimeException e) {
                chunk.release();
                fail(e);
                return;
            }
            chunk.writerIndex(n);
            next += n;
            exchange.write(new DefaultHttpContent(chunk)).addListener(f -> {
                if (!f.isSuccess()) {
                    closeQuietly(representation);
                    exchange.abort();
                } else if (next >= end) {
                    closeQuietly(representation);
                    exchange.finish();
                } else {
                    continueOnIo();
                }
            });
        }

        private void continueOnIo() {
            try {
                io.execute(this::step);
            } catch (RejectedExecutionException e) {
                fail(e);
            }
        }

        private void fail(Exception e) {
            LOG.log(Level.WARNING, "sending {0} stopped after byte {1}: {2}", exchange.rawPath(), next, e.toString());
            closeQuietly(representation);
            exchange.abort();
        }
    }
}
