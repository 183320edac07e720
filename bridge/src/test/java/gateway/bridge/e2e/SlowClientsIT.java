package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Await;
import gateway.testkit.TestTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abusive TCP and TLS clients against a gateway process, each while a legitimate SIPp caller places a call that must
 * connect and be recorded: connections that send nothing or stop mid-handshake, slowloris-style dribbling and
 * oversize messages, and thousands of connections from one source and from many. The caps of
 * {@code sip.connections.*} hold, and the gateway's heap after a full collection stays within a bound while the
 * attack holds its connections open; the figures are printed for BENCHMARKS.md.
 */
@Tag("e2e")
class SlowClientsIT {

    private static final int RTP_MIN = 41_600;
    private static final int TLS_PORT = RTP_MIN + 1;
    private static final String ATTACKER = "127.0.0.2";
    private static final int MESSAGE_TIMEOUT_SECONDS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Bytes of a TLS record header and the start of a ClientHello that announce 512 bytes and never send them. */
    private static final byte[] STALLED_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc,
        0x03, 0x03, 0x00, 0x01, 0x02, 0x03};
    /** What the attack may add to the live heap: some 5 times the 1-3 MB measured, a sixteenth of the heap. */
    private static final long HEAP_GROWTH_BOUND = 16L * 1024 * 1024;

    @TempDir
    Path dir;

    private GatewayProcess start(Path recordings, String... flags) throws IOException, InterruptedException {
        TestTls.PemFiles pem = TestTls.serverPem(dir);
        List<String> args = new ArrayList<>(List.of("--sip.tls.port=" + TLS_PORT,
                "--sip.tls.cert=" + pem.certificateChain(), "--sip.tls.key=" + pem.key()));
        args.addAll(List.of(flags));
        return GatewayProcess.start(recordings, RTP_MIN, dir.resolve("gateway.log"), args);
    }

    /** A TCP connection from {@code source} to {@code port}, non-blocking once connected. */
    private static SocketChannel connect(String source, int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(new InetSocketAddress(source, 0));
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        return channel;
    }

    /** True once the gateway has closed {@code channel} (end of stream or reset); anything it sent is dropped. */
    private static boolean closedByPeer(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            int read;
            while ((read = channel.read(buffer)) > 0) {
                buffer.clear();
            }
            return read < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void closeAll(List<SocketChannel> channels) throws IOException {
        for (SocketChannel channel : channels) {
            channel.close();
        }
    }

    /** A legitimate call over UDP from 127.0.0.1: answered, ended by its BYE, recorded with end_reason caller_bye. */
    private static void legitimateCallIsRecorded(GatewayProcess gw, Path recordings, String name, int calls)
            throws Exception {
        Sipp.Result call = Sipp.scenario("uac_speech.xml").pauseMs(300).run(gw.sipPort(), name);
        assertEquals(Sipp.SUCCESS, call.exitCode(), call.describe());
        List<Path> finished = Recordings.awaitFinished(recordings, calls, TIMEOUT);
        JsonNode json = new ObjectMapper().readTree(finished.get(finished.size() - 1).resolve("call.json").toFile());
        assertEquals("caller_bye", json.path("end_reason").asText(), json.toString());
        assertTrue(json.path("duration_ms").asLong() > 0, json.toString());
    }

    private static String figures(String attack, int connections, long heapBefore, long heapDuring, long millis) {
        String line = String.format(Locale.ROOT, "SlowClientsIT %s: %d connections, heap after GC %.1f MB before,"
                + " %.1f MB during (+%.1f MB), %d ms", attack, connections, heapBefore / 1e6, heapDuring / 1e6,
                (heapDuring - heapBefore) / 1e6, millis);
        System.out.println(line);
        return line;
    }

    @Test
    void halfOpenTcpAndStalledTlsConnectionsAreClosedAtTheMessageTimeout() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayProcess gw = start(recordings,
                "--sip.connections.message-timeout-seconds=" + MESSAGE_TIMEOUT_SECONDS)) {
            long heapBefore = gw.heapAfterGcBytes();
            List<SocketChannel> tcp = new ArrayList<>();
            List<SocketChannel> tls = new ArrayList<>();
            long opened = System.nanoTime();
            for (int i = 0; i < 32; i++) {
                tcp.add(connect(ATTACKER, gw.sipPort()));
                SocketChannel stalled = connect(ATTACKER, TLS_PORT);
                stalled.write(ByteBuffer.wrap(STALLED_CLIENT_HELLO));
                tls.add(stalled);
            }
            try {
                Await.until(() -> gw.metric("gateway_sip_connections") == 64, TIMEOUT,
                        () -> "64 connections accepted: " + gw.metric("gateway_sip_connections"));
                long heapDuring = gw.heapAfterGcBytes();
                legitimateCallIsRecorded(gw, recordings, "half-open-call", 1);
                List<SocketChannel> all = new ArrayList<>(tcp);
                all.addAll(tls);
                Await.until(() -> all.stream().allMatch(SlowClientsIT::closedByPeer), TIMEOUT,
                        () -> "every half-open connection closed");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                assertTrue(millis >= MESSAGE_TIMEOUT_SECONDS * 1000L, "none closed before the timeout: " + millis);
                assertEquals(64.0, gw.metric("gateway_sip_refused_total{reason=\"slow_message\"}"));
                Await.until(() -> gw.metric("gateway_sip_connections") == 0, TIMEOUT, () -> "connections released");
                figures("half-open TCP and TLS", 64, heapBefore, heapDuring, millis);
                assertTrue(heapDuring - heapBefore < HEAP_GROWTH_BOUND, (heapDuring - heapBefore) + " bytes");
            } finally {
                closeAll(tcp);
                closeAll(tls);
            }
        }
    }

    @Test
    void dribbledMessagesAreCutOffAndOversizeOnesAnswered513() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayProcess gw = start(recordings,
                "--sip.connections.message-timeout-seconds=" + MESSAGE_TIMEOUT_SECONDS)) {
            String invite = "INVITE sip:agent@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.2:5099;branch=z9hG4bK-slow\r\n"
                    + "From: <sip:slow@127.0.0.2>;tag=slow\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: slowloris\r\n"
                    + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n" + "X-Pad: ".repeat(200);
            byte[] bytes = invite.getBytes(StandardCharsets.US_ASCII);
            long heapBefore = gw.heapAfterGcBytes();
            long started = System.nanoTime();
            List<SocketChannel> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                slow.add(connect(ATTACKER, i % 2 == 0 ? gw.sipPort() : TLS_PORT));
            }
            Sipp.Running call = Sipp.scenario("uac_speech.xml").pauseMs(300).start(gw.sipPort(), "slowloris-call");
            long[] closedAfter = new long[slow.size()];
            int sent = 0;
            try {
                // One byte per connection every 100 ms: each keeps its connection busy, none finishes a message.
                while (sent < bytes.length && java.util.Arrays.stream(closedAfter).anyMatch(t -> t == 0)) {
                    for (int i = 0; i < slow.size(); i++) {
                        if (closedAfter[i] == 0 && closedByPeer(slow.get(i))) {
                            closedAfter[i] = System.nanoTime() - started;
                        } else if (closedAfter[i] == 0 && i % 2 == 0) {
                            writeQuietly(slow.get(i), bytes[sent]);
                        }
                    }
                    sent++;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                long heapDuring = gw.heapAfterGcBytes();
                Sipp.Result result = call.await();
                assertEquals(Sipp.SUCCESS, result.exitCode(), result.describe());
                assertTrue(sent < bytes.length, "the dribbling never finished a message: " + sent + " bytes each");
                for (long nanos : closedAfter) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
                    assertTrue(millis >= MESSAGE_TIMEOUT_SECONDS * 1000L && millis < 10_000,
                            "closed at the message timeout though a byte came every 100 ms: " + millis + " ms");
                }
                assertEquals(20.0, gw.metric("gateway_sip_refused_total{reason=\"slow_message\"}"));
                figures("slowloris", slow.size(), heapBefore, heapDuring,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertTrue(heapDuring - heapBefore < HEAP_GROWTH_BOUND, (heapDuring - heapBefore) + " bytes");
            } finally {
                closeAll(slow);
            }
            Recordings.awaitFinished(recordings, 1, TIMEOUT);

            String headers = invite.substring(0, invite.indexOf("X-Pad"));
            assertEquals("SIP/2.0 513 Message Too Large", answerTo(gw, headers + "X-Pad: " + "a".repeat(17_000)));
            assertEquals("SIP/2.0 513 Message Too Large",
                    answerTo(gw, headers + "Content-Length: 100000\r\n\r\n"));
            assertEquals("SIP/2.0 400 Bad Content-Length", answerTo(gw, headers + "Content-Length: many\r\n\r\n"));
        }
    }

    private static void writeQuietly(SocketChannel channel, byte b) {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {b}));
        } catch (IOException closedMeanwhile) {
            // seen as closed at the next round
        }
    }

    /** Sends {@code text} on a new TCP connection; returns the status line of the answer once the gateway closed. */
    private static String answerTo(GatewayProcess gw, String text) throws Exception {
        try (SocketChannel channel = connect(ATTACKER, gw.sipPort())) {
            channel.configureBlocking(true);
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            byte[] answer = channel.socket().getInputStream().readAllBytes();
            String reply = new String(answer, StandardCharsets.US_ASCII);
            assertTrue(reply.contains("\r\nCall-ID: slowloris\r\n"), reply);
            return reply.substring(0, reply.indexOf("\r\n"));
        }
    }

    @Test
    void thousandsOfConnectionsAreCappedPerSourceAndInAllWhileCallsGoOn() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        int total = 1000;
        try (GatewayProcess gw = start(recordings, "--sip.connections.max=" + total,
                "--sip.connections.message-timeout-seconds=300")) {
            legitimateCallIsRecorded(gw, recordings, "many-warm-up", 1);
            long heapBefore = gw.heapAfterGcBytes();
            List<SocketChannel> oneSource = new ArrayList<>();
            List<SocketChannel> manySources = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < 2000; i++) {
                    oneSource.add(connect(ATTACKER, gw.sipPort()));
                }
                Await.until(() -> gw.metric("gateway_sip_refused_total{reason=\"connection_limit\"}") == 2000 - 64,
                        TIMEOUT, () -> "all but 64 of one source's 2000 refused: "
                                + gw.metric("gateway_sip_refused_total{reason=\"connection_limit\"}"));
                assertEquals(2000 - 64, oneSource.stream().filter(SlowClientsIT::closedByPeer).count());
                // Then 16 more sources, 64 each: the total cap of 1000 refuses the last 88.
                for (int source = 1; source <= 16; source++) {
                    for (int i = 0; i < 64; i++) {
                        SocketChannel channel = connect("127.0.1." + source, gw.sipPort());
                        // Half a message each, so the connections hold buffers too.
                        channel.write(ByteBuffer.wrap(("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nX-Pad: "
                                + "p".repeat(2000)).getBytes(StandardCharsets.US_ASCII)));
                        manySources.add(channel);
                    }
                }
                Await.until(() -> gw.metric("gateway_sip_refused_total{reason=\"connection_limit\"}")
                        == 2000 - 64 + 88, TIMEOUT, () -> "88 refused at the total cap");
                assertEquals(total, (int) gw.metric("gateway_sip_connections"));
                long heapDuring = gw.heapAfterGcBytes();
                legitimateCallIsRecorded(gw, recordings, "many-call", 2);
                assertEquals(64, oneSource.stream().filter(c -> !closedByPeer(c)).count(), "64 kept open");
                assertEquals(total - 64, manySources.stream().filter(c -> !closedByPeer(c)).count());
                String line = figures("3024 connection attempts (2000 from one source, 1024 from 16 more)", total,
                        heapBefore, heapDuring, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertTrue(heapDuring - heapBefore < HEAP_GROWTH_BOUND, line);
            } finally {
                closeAll(oneSource);
                closeAll(manySources);
            }
            Await.until(() -> gw.metric("gateway_sip_connections") == 0, TIMEOUT, () -> "every place given back");
        }
    }
}
