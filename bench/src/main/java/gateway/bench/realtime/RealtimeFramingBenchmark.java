package gateway.bridge.realtime;

import gateway.bench.SpeechLevelTone;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Realtime WebSocket framing of audio: building {@code input_audio_buffer.append} for one 20 ms frame
 * (480 samples → 1280 Base64 chars in a pooled buffer), and parsing {@code response.output_audio.delta} events
 * of 20 ms and 100 ms into the parser's reused sample array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RealtimeFramingBenchmark {

    private static final int FRAME = 480;

    /** Counts what the parser delivers, so the JIT cannot drop the decode. */
    static final class Listener implements RealtimeListener {
        long checksum;
        long deltas;

        @Override
        public void onEvent(ServerEvent event) {
            throw new IllegalStateException("unexpected event " + event);
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

    private final short[] pcm = SpeechLevelTone.pcm(1000, 24_000, FRAME);
    private final Listener listener = new Listener();
    private final ServerEventParser parser = new ServerEventParser();
    private byte[] appendHead;
    private byte[] appendTail;
    private ByteBuf delta20ms;
    private ByteBuf delta100ms;
    private EmbeddedChannel channel;
    private RealtimeConnection connection;

    @Setup
    public void setUp() throws ReflectiveOperationException {
        appendHead = constant("APPEND_HEAD");
        appendTail = constant("APPEND_TAIL");
        delta20ms = deltaEvent(SpeechLevelTone.pcm(440, 24_000, 480));
        delta100ms = deltaEvent(SpeechLevelTone.pcm(440, 24_000, 2400));
        channel = new EmbeddedChannel();
        connection = new RealtimeConnection(channel, () -> {
            throw new IllegalStateException("backlog exceeded");
        });
    }

    @TearDown
    public void tearDown() {
        delta20ms.release();
        delta100ms.release();
        channel.finishAndReleaseAll();
    }

    /**
     * The frame builder as appendAudio runs it: pooled buffer, WebSocket header and key, JSON head, Base64 of 480
     * samples, tail, masking; released.
     */
    @Benchmark
    public int appendFrameBuild() {
        int payload = appendHead.length + Base64Pcm.encodedLength(FRAME) + appendTail.length;
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(MaskedTextFrame.headerLength(payload) + payload);
        int key = MaskedTextFrame.writeHeader(buf, payload);
        int start = buf.writerIndex();
        buf.writeBytes(appendHead);
        MaskedTextFrame.mask(buf, start, appendHead.length, key);
        Base64Pcm.encode(pcm, 0, FRAME, buf, MaskedTextFrame.keyAt(key, appendHead.length));
        int tail = buf.writerIndex();
        buf.writeBytes(appendTail);
        MaskedTextFrame.mask(buf, tail, appendTail.length, MaskedTextFrame.keyAt(key, tail - start));
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    /**
     * The whole {@link RealtimeConnection#appendAudio} of 480 samples on an {@link EmbeddedChannel} (no WebSocket
     * encoder in the pipeline; the frame is a plain buffer anyway): builder + writeAndFlush; the frame is then read
     * back and released, as the transport would after writing it.
     */
    @Benchmark
    public int appendAudioEmbeddedChannel() {
        connection.appendAudio(pcm, 0, FRAME);
        ByteBuf frame = channel.readOutbound();
        int n = frame.readableBytes();
        frame.release();
        return n;
    }

    /** Parse a 20 ms delta (480 samples, 1280 Base64 chars) and deliver the samples. */
    @Benchmark
    public long parseDelta20ms() {
        parser.parse(delta20ms, listener);
        return listener.checksum;
    }

    /** Parse a 100 ms delta (2400 samples, 6400 Base64 chars) and deliver the samples. */
    @Benchmark
    public long parseDelta100ms() {
        parser.parse(delta100ms, listener);
        return listener.checksum;
    }

    private static byte[] constant(String name) throws ReflectiveOperationException {
        Field f = RealtimeConnection.class.getDeclaredField(name);
        f.setAccessible(true);
        return (byte[]) f.get(null);
    }

    /** A delta event shaped like the GA server's, in a pooled direct buffer as the WebSocket decoder delivers it. */
    private static ByteBuf deltaEvent(short[] samples) {
        byte[] le = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            le[2 * i] = (byte) samples[i];
            le[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        String json = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_CQ5fZcGdWm1xLmMr7AbcD\","
                + "\"response_id\":\"resp_CQ5fYtTgVd4Cw2MQmNq1e\",\"item_id\":\"item_CQ5fYb5RJ8MBHqgKdTr9s\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\"" + Base64.getEncoder().encodeToString(le) + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }
}
