package gateway.bench.realtime;

import gateway.bench.EventLoopThreads;
import gateway.bench.SpeechLevelTone;
import gateway.realtime.RealtimeConnection;
import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Realtime WebSocket framing of audio, on a {@link RealtimeConnection} attached to an {@link EmbeddedChannel}
 * (the pipeline past the upgrade: no WebSocket codec, the connection writes whole masked frames itself): sending
 * {@code input_audio_buffer.append} for one 20 ms frame, and reading {@code response.output_audio.delta} events of
 * 20 ms and 100 ms through the connection's socket handler into the parser's reused sample array.
 */
@State(Scope.Thread)
@Fork(jvmArgsPrepend = {EventLoopThreads.EXECUTOR, EventLoopThreads.EXECUTOR_CLASS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RealtimeFramingBenchmark {

    private static final int FRAME = CallTimeline.FRAME_SAMPLES;
    /** 100 ms of agent audio, a typical delta. */
    private static final int LONG_DELTA = 5 * FRAME;
    /** Largest frame the check of the first append frame accepts. */
    private static final int MAX_CHECKED_FRAME = 1 << 16;

    private final short[] pcm = SpeechLevelTone.pcm(1000, CallTimeline.SAMPLE_RATE, FRAME);
    private final Listener listener = new Listener();
    private TextWebSocketFrame delta20ms;
    private TextWebSocketFrame delta100ms;
    private EmbeddedChannel channel;
    private RealtimeConnection connection;
    private long reads;

    @Setup
    public void setUp() {
        EventLoopThreads.require();
        delta20ms = deltaEvent(SpeechLevelTone.pcm(440, CallTimeline.SAMPLE_RATE, FRAME));
        delta100ms = deltaEvent(SpeechLevelTone.pcm(440, CallTimeline.SAMPLE_RATE, LONG_DELTA));
        channel = new EmbeddedChannel();
        connection = RealtimeConnection.attach(channel, listener);
        checkAppendFrame();
    }

    /** Reads the first append frame back as a server would and compares its text with the expected event. */
    private void checkAppendFrame() {
        connection.appendAudio(pcm, 0, FRAME);
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(true, false, MAX_CHECKED_FRAME));
        server.writeInbound((ByteBuf) channel.readOutbound());
        TextWebSocketFrame frame = server.readInbound();
        String text = frame.text();
        frame.release();
        server.finishAndReleaseAll();
        String expected = "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + base64(pcm) + "\"}";
        if (!text.equals(expected)) {
            throw new IllegalStateException("unexpected append frame: " + text);
        }
    }

    /** Prints the counters; fails the run if a read frame was not delivered as one audio delta. */
    @TearDown
    public void tearDown() {
        delta20ms.release();
        delta100ms.release();
        channel.finishAndReleaseAll();
        System.out.printf("%n# stats: frames read %d, deltas delivered %d, other events %d%n", reads,
                listener.deltas, listener.otherEvents);
        if (listener.deltas != reads || listener.otherEvents != 0) {
            throw new IllegalStateException("not every delta was parsed as one");
        }
    }

    /**
     * {@link RealtimeConnection#appendAudio} of 480 samples: pooled buffer, WebSocket header and key, JSON head,
     * Base64 masked as it is written, tail, {@code writeAndFlush}; the frame is then read back and released, as the
     * transport does once it is written.
     */
    @Benchmark
    public int appendAudio() {
        connection.appendAudio(pcm, 0, FRAME);
        ByteBuf frame = channel.readOutbound();
        int n = frame.readableBytes();
        frame.release();
        return n;
    }

    /** A 20 ms delta (480 samples, 1280 Base64 chars) read by the socket handler, parsed and delivered. */
    @Benchmark
    public long parseDelta20ms() {
        return read(delta20ms);
    }

    /** A 100 ms delta (2400 samples, 6400 Base64 chars) read by the socket handler, parsed and delivered. */
    @Benchmark
    public long parseDelta100ms() {
        return read(delta100ms);
    }

    private long read(TextWebSocketFrame frame) {
        reads++;
        // As the WebSocket decoder delivers a frame; the handler releases it. (writeInbound would add a varargs array.)
        channel.pipeline().fireChannelRead(frame.retain()).fireChannelReadComplete();
        return listener.checksum;
    }

    /** A delta event shaped like the GA server's, in a pooled direct buffer as the WebSocket decoder delivers it. */
    private static TextWebSocketFrame deltaEvent(short[] samples) {
        String json = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_CQ5fZcGdWm1xLmMr7AbcD\","
                + "\"response_id\":\"resp_CQ5fYtTgVd4Cw2MQmNq1e\",\"item_id\":\"item_CQ5fYb5RJ8MBHqgKdTr9s\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\"" + base64(samples) + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return new TextWebSocketFrame(buf);
    }

    /** PCM16 little-endian in Base64, as the Realtime API carries audio. */
    private static String base64(short[] samples) {
        byte[] le = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            le[2 * i] = (byte) samples[i];
            le[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return Base64.getEncoder().encodeToString(le);
    }

    /** Counts what the parser delivers, so the JIT cannot drop the decode. */
    static final class Listener implements RealtimeListener {
        long checksum;
        long deltas;
        long otherEvents;

        @Override
        public void onEvent(ServerEvent event) {
            otherEvents++;
        }

        @Override
        public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
            checksum += pcm24k[offset + length - 1] + length;
            deltas++;
        }

        @Override
        public void onClosed(int statusCode, String reason) {
        }
    }
}
