package gateway.realtime;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One open Realtime WebSocket: sends client events (GA shapes, docs/realtime-protocol.md §3) and input audio.
 *
 * <p>Threading: meant to be called on the connection's event loop ({@link #loop()}); calls from other threads hop
 * there ({@link #appendAudio} then copies the samples). {@link #isOpen()} and {@link #appendedSamples()} may be read
 * from any thread.
 */
public final class RealtimeConnection implements RealtimeLink {

    private static final Logger LOG = System.getLogger(RealtimeConnection.class.getName());
    private static final byte[] APPEND_HEAD = ("{\"type\":\"" + ClientEvent.INPUT_AUDIO_APPEND + "\",\"audio\":\"")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APPEND_TAIL = "\"}".getBytes(StandardCharsets.US_ASCII);
    /** One append carries at most 15 MiB (protocol limit); 1 M samples is 2.7 MiB of Base64, well inside it. */
    static final int MAX_APPEND_SAMPLES = 1 << 20;
    /** Wait this long for the server to answer our close frame before dropping the socket (RFC 6455 §7.1.1). */
    static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 1000;
    /**
     * Writes the appends' Base64, one per thread (event loop) for all its connections, where each connection held
     * its own (1.3 KB): its chunk array is written and copied into the frame within one encode, which calls out to
     * nothing, so no other append can run in between.
     */
    private static final FastThreadLocal<Base64Pcm.Encoder> BASE64 = new FastThreadLocal<>() {
        @Override
        protected Base64Pcm.Encoder initialValue() {
            return new Base64Pcm.Encoder();
        }
    };

    private final Channel channel;
    /**
     * Where the appends' frame bytes enter the pipeline: the WebSocket frame encoder's context, so they pass only
     * the handlers below it (TLS, if any), as the encoder's own output would; the frames need no encoding and the
     * protocol handler above it looks only at close frames. Writes through it keep their order with those through the
     * channel: both run on the loop, and the encoder passes each frame on as it is written.
     */
    private final ChannelHandlerContext frames;
    /** Told the audio format of each session.update sent, so the deltas that follow are read in it. */
    private final Consumer<AudioFormat> formatSent;
    private final Runnable backlogExceeded;
    /** When the appends written go out (loop only). */
    private final InputBatch batch;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closeReceived;
    private volatile long appendedSamples;
    /** The masking key and payload start of the append frame being written (loop only). */
    private int appendKey;
    private int appendStart;

    RealtimeConnection(ChannelHandlerContext frames, Consumer<AudioFormat> formatSent, Runnable backlogExceeded,
            int inputBatchMs) {
        this.channel = frames.channel();
        this.frames = frames;
        this.formatSent = formatSent;
        this.backlogExceeded = backlogExceeded;
        this.batch = new InputBatch(inputBatchMs);
    }

    /**
     * A connection on a channel whose WebSocket upgrade is already done (tests and benchmarks use an
     * {@link io.netty.channel.embedded.EmbeddedChannel}): adds the handler a socket from {@link RealtimeClient} ends
     * with, so the text frames the channel reads are parsed for {@code listener}, and appends are written to the
     * channel as masked frame bytes, each flushed as it is written. Call on the channel's event loop.
     */
    public static RealtimeConnection attach(Channel channel, RealtimeListener listener) {
        return attach(channel, listener, CallTimeline.FRAME_MS);
    }

    /** As {@link #attach(Channel, RealtimeListener)}, holding input audio in batches of {@code inputBatchMs}. */
    public static RealtimeConnection attach(Channel channel, RealtimeListener listener, int inputBatchMs) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("attach runs on the channel's event loop");
        }
        CompletableFuture<RealtimeConnection> opened = new CompletableFuture<>();
        channel.pipeline().addLast(new RealtimeSocketHandler(opened, listener, channel.toString(),
                RealtimeClient.DEFAULT_IDLE_TIMEOUT_MS, inputBatchMs, new LongAdder()));
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        return opened.join();
    }

    /** The event loop the socket is registered on; all listener callbacks run there. */
    public io.netty.channel.EventLoop loop() {
        return channel.eventLoop();
    }

    /** Sends the event as {@link ClientEventEncoder} writes it; from another thread it hops to the loop first. */
    @Override
    public void send(ClientEvent event) {
        Objects.requireNonNull(event, "event");
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(event));
            return;
        }
        if (!isOpen()) {
            return;
        }
        ByteBuf buf = channel.alloc().buffer();
        try {
            ClientEventEncoder.encode(event, buf);
        } catch (RuntimeException e) {
            buf.release();
            LOG.log(Level.ERROR, "Cannot encode a Realtime " + event.type() + " event", e);
            return;
        }
        if (event instanceof ClientEvent.SessionUpdate update) {
            formatSent.accept(update.settings().audioFormat());
        }
        channel.writeAndFlush(new TextWebSocketFrame(buf), channel.voidPromise());
        batch.flushed();
    }

    /** True until {@link #close()} was called, the server's close frame arrived or the socket went away. */
    @Override
    public boolean isOpen() {
        return !closing.get() && !closeReceived && channel.isActive();
    }

    /** Samples handed to the socket with {@code input_audio_buffer.append} so far (the server's input-audio clock). */
    @Override
    public long appendedSamples() {
        return appendedSamples;
    }

    /**
     * Sends {@code input_audio_buffer.append} with the Base64 of the samples as PCM16 LE. The whole WebSocket frame,
     * header and masked JSON, is written straight into one pooled buffer ({@link MaskedTextFrame}), and goes out with
     * its batch ({@link InputBatch}; any event sent, {@link #tick} or {@link #close} also sends what is held). If the
     * socket's send backlog exceeds its limit the connection is dropped instead (the listener sees
     * {@code onClosed(-1, …)}).
     */
    @Override
    public void appendAudio(short[] pcm24k, int offset, int length) {
        if (!channel.eventLoop().inEventLoop()) {
            short[] copy = Arrays.copyOfRange(pcm24k, offset, offset + length);
            channel.eventLoop().execute(() -> appendAudio(copy, 0, copy.length));
            return;
        }
        if (!mayAppend(length)) {
            return;
        }
        Base64Pcm.Encoder base64 = BASE64.get();
        for (int done = 0; done < length; done += MAX_APPEND_SAMPLES) {
            int n = Math.min(MAX_APPEND_SAMPLES, length - done);
            ByteBuf buf = appendFrame(Base64Pcm.encodedLength(n));
            base64.encode(pcm24k, offset + done, n, buf, MaskedTextFrame.keyAt(appendKey, APPEND_HEAD.length));
            endAppend(buf);
        }
        appendedSamples += length;
        if (batch.appended(length)) {
            channel.flush();
        }
    }

    /** As {@link #appendAudio} for G.711 codes, sent as they are; each counts 3 samples of the input clock. */
    @Override
    public void appendCodes(byte[] codes, int offset, int length) {
        if (!channel.eventLoop().inEventLoop()) {
            byte[] copy = Arrays.copyOfRange(codes, offset, offset + length);
            channel.eventLoop().execute(() -> appendCodes(copy, 0, copy.length));
            return;
        }
        if (!mayAppend(length)) {
            return;
        }
        Base64Pcm.Encoder base64 = BASE64.get();
        for (int done = 0; done < length; done += MAX_APPEND_SAMPLES) {
            int n = Math.min(MAX_APPEND_SAMPLES, length - done);
            ByteBuf buf = appendFrame(Base64Pcm.octetsLength(n));
            base64.encode(codes, offset + done, n, buf, MaskedTextFrame.keyAt(appendKey, APPEND_HEAD.length));
            endAppend(buf);
        }
        long samples = CallTimeline.rtpUnitsToSamples(length);
        appendedSamples += samples;
        if (batch.appended(samples)) {
            channel.flush();
        }
    }

    /** Sends the appends held for a batch once they have waited one ({@link InputBatch#ticked}). Loop only. */
    @Override
    public void tick() {
        if (batch.ticked()) {
            channel.flush();
        }
    }

    /** Whether an append of {@code length} goes out: open, not empty, and the backlog (else dropped) within limit. */
    private boolean mayAppend(int length) {
        if (!isOpen() || length <= 0) {
            return false;
        }
        if (!channel.isWritable()) {
            backlogExceeded.run();
            return false;
        }
        return true;
    }

    /** A frame for an append of {@code base64Length} characters, its header and masked head written. */
    private ByteBuf appendFrame(int base64Length) {
        int payload = APPEND_HEAD.length + base64Length + APPEND_TAIL.length;
        ByteBuf buf = channel.alloc().buffer(MaskedTextFrame.headerLength(payload) + payload);
        appendKey = MaskedTextFrame.writeHeader(buf, payload);
        appendStart = buf.writerIndex();
        buf.writeBytes(APPEND_HEAD);
        MaskedTextFrame.mask(buf, appendStart, APPEND_HEAD.length, appendKey);
        return buf;
    }

    /** Writes the masked tail of the append begun by {@link #appendFrame}; its batch sends it. */
    private void endAppend(ByteBuf buf) {
        int tail = buf.writerIndex();
        buf.writeBytes(APPEND_TAIL);
        MaskedTextFrame.mask(buf, tail, APPEND_TAIL.length, MaskedTextFrame.keyAt(appendKey, tail - appendStart));
        frames.write(buf, frames.voidPromise());
    }

    /** Starts the closing handshake with 1000 (normal); the socket is dropped if the server does not answer. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            sendClose();
        } else {
            channel.eventLoop().execute(this::sendClose);
        }
    }

    private void sendClose() {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), ""))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        f.channel().close();
                    } else {
                        f.channel().eventLoop().schedule(() -> f.channel().close(),
                                CLOSE_HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    }
                });
    }

    /** True once {@link #close()} was called. */
    boolean closing() {
        return closing.get();
    }

    /** The server's close frame arrived (RFC 6455 §5.5.1): nothing more may be sent but the echo. */
    void closeReceived() {
        closeReceived = true;
    }
}
