package gateway.qa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallLibrary;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.library.StoredFile;
import gateway.testkit.EmbeddedSocketChannel;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Any bytes a client sends to the HTTP listener, in any split, through the real pipeline ({@link HttpPipeline}: codec,
 * idle timeout, bounded aggregator, sequencer, access guard, router) into the QA API over a recordings directory the
 * recorder wrote: request lines, headers, paths, query strings, bodies, pipelined requests. Nothing escapes the
 * pipeline or is logged with a throwable; no answer is a 5xx but the 503 the API documents (index building, busy);
 * while the connection stays open every request that reached the API has exactly one answer; no answer carries the
 * file placed beside the recordings (nor what the link inside them points to); the buffers the connection holds stay
 * under a bound that does not grow with the input, and none is left once it has closed.
 *
 * <p>Each input gets a fresh copy of the recordings (a request may delete, hold, review or share a call). An embedded
 * channel has no event loop of its own to hand other threads' writes to, so the channel is used by one thread at a
 * time, as an event loop would: the I/O and export executors run inline, and the call index's thread (where deletes,
 * holds and reviews answer) is held at a gate while this thread feeds the channel and let through only while this
 * thread waits for it.
 *
 * <p>Input: byte 0 bits 0-2 pick the chunk size the stream starts with (then the next ones in turn: TCP delivers any
 * split), bit 3 tokens configured (an admin's and a viewer's, else none: clients on this machine are admins), bit 4 a
 * client off this machine; the rest is what the client sends. Seeds: {@code HttpRequestFuzzTestInputs}.
 */
class HttpRequestFuzzTest {

    static final String ADMIN_TOKEN = "fuzz-admin-token";
    static final String VIEWER_TOKEN = "fuzz-viewer-token";
    private static final int[] CHUNKS = {1, 3, 17, 64, 536, 1460, 4096, 65_536};
    /**
     * What a connection may hold in buffers after a chunk: a chunk being decoded and one request at the pipeline's
     * caps, each in a buffer up to twice its size (the allocator grows by powers of two), and a previous buffer kept
     * alive by a body's slices.
     */
    private static final long MAX_HELD_BYTES = 4L * (CHUNKS[CHUNKS.length - 1] + HttpPipeline.MAX_INITIAL_LINE
            + HttpPipeline.MAX_HEADER_BYTES + BoundedRequestAggregator.MAX_REQUEST_BYTES);
    private static final InetSocketAddress LISTENER = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress LOCAL_CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress REMOTE_CLIENT = new InetSocketAddress("192.0.2.7", 40_000);
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-01T10:00:00Z"));
    private static final AccessPolicy OPEN = AccessPolicy.of("");
    private static final AccessPolicy TOKENS = AccessPolicy.of(List.of(
            AccessPolicy.Grant.of(AccessPolicy.API_TOKEN_NAME, ADMIN_TOKEN, ApiRole.ADMIN),
            AccessPolicy.Grant.of("qa", VIEWER_TOKEN, ApiRole.VIEWER)));
    private static final byte[] SECRET = ApiFixture.SECRET.getBytes(StandardCharsets.US_ASCII);
    private static final WebAssets WEB = WebAssets.load();
    private static final Executor INLINE = Runnable::run;
    private static Path template;

    /** The recordings every input starts from, with a link to a directory beside them; written once. */
    private static synchronized Path template() throws Exception {
        if (template == null) {
            Path base = Files.createTempDirectory("http-fuzz-template");
            Path outside = Files.createDirectories(base.resolve("outside"));
            Files.writeString(outside.resolve("call.json"), "{\"id\":\"outside\",\"note\":\"" + ApiFixture.SECRET
                    + "\"}");
            Path recordings = Files.createDirectories(base.resolve("recordings"));
            ApiFixture.writeCalls(recordings);
            Files.createSymbolicLink(recordings.resolve("linked"), outside);
            template = recordings;
        }
        return template;
    }

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void everyRequestIsAnsweredWithinTheApisCodesAndNothingEscapes(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        Path dir = Files.createTempDirectory("http-fuzz");
        try {
            Files.writeString(dir.resolve("secret.txt"), ApiFixture.SECRET);
            Path recordings = copy(template(), dir.resolve("recordings"));
            fuzz(input, recordings);
        } finally {
            delete(dir);
        }
    }

    private static void fuzz(byte[] input, Path recordings) throws Exception {
        AccessPolicy policy = (input[0] & 8) != 0 ? TOKENS : OPEN;
        InetSocketAddress client = (input[0] & 16) != 0 ? REMOTE_CLIENT : LOCAL_CLIENT;
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        List<ByteBuf> chunks = new ArrayList<>();
        Observer observer = new Observer();
        Started started = new Started();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        GatedStore store = new GatedStore(new LocalCallStore(recordings));
        try (LogCapture log = LogCapture.everything("gateway");
             CallLibrary library = CallLibrary.open(store);
             AuditLog audit = AuditLog.in(recordings.resolve(".audit"), CLOCK)) {
            library.built().get(10, TimeUnit.SECONDS);
            store.hold(library);
            ShareLinks shares = ShareLinks.open(recordings.resolve(".shares"), "", CLOCK);
            ListenTickets tickets = new ListenTickets(System::nanoTime);
            RequestRouter router = new RequestRouter(new AdminRoutes(() -> "", () -> ApiFixture.METRICS),
                    new CallsApi(library, LiveCalls.NONE, new ActiveCallsApi(ActiveCalls.NONE, CLOCK, tickets, audit),
                            audit, shares, INLINE, ReviewApiTest.FORM, INLINE),
                    new WebRoutes(WEB), audit);
            EmbeddedSocketChannel channel = new EmbeddedSocketChannel(LISTENER, client);
            try {
                channel.config().setAllocator(alloc);
                channel.pipeline().addLast(new HttpPipeline(new AccessGuard(policy, tickets, shares), router));
                ChannelPipeline p = channel.pipeline();
                p.addBefore(p.context(ExchangeSequencer.class).name(), "observer", observer);
                p.addAfter(p.context(ExchangeSequencer.class).name(), "started", started);
                int size = input[0] & 7;
                for (int offset = 1; offset < input.length && channel.isOpen(); size++) {
                    int length = Math.min(CHUNKS[size % CHUNKS.length], input.length - offset);
                    ByteBuf chunk = alloc.buffer(length).writeBytes(input, offset, length);
                    chunks.add(chunk);
                    channel.writeInbound(chunk);
                    offset += length;
                    settle(channel, store, library, observer, started);
                    drain(channel, output);
                    long held = held(alloc.metric());
                    assertTrue(held <= MAX_HELD_BYTES, "the connection holds " + held + " bytes");
                }
                if (channel.isOpen()) {
                    assertEquals(observer.requests, observer.statuses.size(), "one answer per request: "
                            + observer.statuses);
                } else {
                    assertTrue(observer.statuses.size() <= observer.requests, "answers " + observer.statuses
                            + " to " + observer.requests + " requests");
                }
                for (int status : observer.statuses) {
                    assertTrue(status < 500 || status == 503, "a 5xx the API does not document: " + status);
                }
                channel.checkException();
            } finally {
                channel.finishAndReleaseAll();
            }
            settle(channel, store, library, observer, started);
            store.open();
            drain(channel, output);
            assertFalse(contains(output.toByteArray(), SECRET), "an answer carries the file beside the recordings");
            FuzzInvariants.released(chunks);
            assertEquals(0, held(alloc.metric()), "buffers left once the connection closed");
            FuzzInvariants.nothingThrown(log);
        }
    }

    /**
     * Runs what the input started until nothing more happens: the channel's own tasks, and the work answered on the
     * call index's thread, let through the gate while this thread waits.
     */
    private static void settle(EmbeddedSocketChannel channel, GatedStore store, CallLibrary library,
                               Observer observer, Started started) throws InterruptedException {
        long events;
        do {
            events = observer.statuses.size() + started.count;
            store.pass(library);
            channel.runPendingTasks();
        } while (events != observer.statuses.size() + started.count || channel.hasPendingTasks());
        channel.checkException();
    }

    /** What the client would read, appended to {@code output}; every message written is released. */
    private static void drain(EmbeddedSocketChannel channel, ByteArrayOutputStream output) throws IOException {
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            try {
                if (message instanceof ByteBuf buf) {
                    buf.getBytes(buf.readerIndex(), output, buf.readableBytes());
                } else if (message instanceof FileRegion region) {
                    WritableByteChannel to = Channels.newChannel(output);
                    long at = 0;
                    long n = 1;
                    while (at < region.count() && n > 0) {
                        n = region.transferTo(to, at);
                        at += n;
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private static long held(ByteBufAllocatorMetric metric) {
        return metric.usedHeapMemory() + metric.usedDirectMemory();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                Files.copy(source, to.resolve(from.relativize(source).toString()), LinkOption.NOFOLLOW_LINKS);
            }
        }
        return to;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Between the aggregator and the sequencer: counts the requests that reach the API and records the status of
     * each answer it writes (the aggregator's own 100, 413 and 417 go out before this point).
     */
    private static final class Observer extends ChannelDuplexHandler {
        int requests;
        final List<Integer> statuses = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest) {
                requests++;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().code() >= 200) {
                statuses.add(response.status().code());
            }
            ctx.write(msg, promise);
        }
    }

    /** After the sequencer: counts the exchanges it lets go, one at a time. */
    private static final class Started extends ChannelInboundHandlerAdapter {
        int count;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            count++;
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * The recordings' store, through which the call index's thread is held: a refresh of {@link #GATE} (queued behind
     * the index's other work) parks that thread in {@link #open(CallId, CallFile)} until this thread lets it go.
     */
    private static final class GatedStore implements CallStore {
        static final CallId GATE = CallId.parse("fuzz-gate").orElseThrow();
        private final CallStore store;
        private final Semaphore parked = new Semaphore(0);
        private final Semaphore through = new Semaphore(0);

        GatedStore(CallStore store) {
            this.store = store;
        }

        /** Returns once the index thread has done what was queued before and waits at the gate. */
        void hold(CallLibrary library) throws InterruptedException {
            library.callFinished(GATE.value());
            parked.acquire();
        }

        /** Lets the index thread do what queued up while it waited, and returns once it waits at the gate again. */
        void pass(CallLibrary library) throws InterruptedException {
            library.callFinished(GATE.value());
            through.release();
            parked.acquire();
        }

        /** Lets the index thread go for good. */
        void open() {
            through.release();
        }

        @Override
        public List<CallId> ids() throws IOException {
            return store.ids();
        }

        @Override
        public CallStatus status(CallId id) throws IOException {
            return store.status(id);
        }

        @Override
        public Optional<StoredFile> open(CallId id, CallFile file) throws IOException {
            if (!id.equals(GATE)) {
                return store.open(id, file);
            }
            parked.release();
            try {
                through.acquire();
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }

        @Override
        public DeleteOutcome delete(CallId id) throws IOException {
            return store.delete(id);
        }

        @Override
        public CallStatus write(CallId id, CallFile file, byte[] content) throws IOException {
            return store.write(id, file, content);
        }
    }
}
