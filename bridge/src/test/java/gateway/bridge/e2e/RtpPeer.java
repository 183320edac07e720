package gateway.bridge.e2e;

import gateway.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A caller's media address owned by the test: a UDP socket on 127.0.0.1 that keeps every RTP packet arriving at it
 * (RFC 3550 §5.1 header fields, payload, source, local arrival time) and sends a G.711 file as RTP, 160 bytes every
 * 20 ms.
 *
 * <p>Threading: one daemon thread receives into a copy-on-write list that any thread may read; sending runs on a
 * one-thread scheduler; {@link #close} stops both.
 */
final class RtpPeer implements AutoCloseable {

    /** RTP fixed header without CSRCs (RFC 3550 §5.1). */
    static final int HEADER_BYTES = 12;
    /** Larger than any packet here (12 + 160 bytes). */
    private static final int MAX_DATAGRAM = 2048;
    private static final long PACKET_MS = 20;
    private static final int VERSION_2 = 0x80;
    private static final int MARKER = 0x80;

    /** One received RTP packet. */
    record Packet(InetSocketAddress source, LocalDateTime arrival, int payloadType, boolean marker, int sequence,
                  long timestamp, long ssrc, byte[] payload) {
    }

    private final DatagramSocket socket;
    private final List<Packet> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> malformed = new AtomicReference<>();
    private final ScheduledExecutorService sender;
    private final Thread receiver;

    private RtpPeer(DatagramSocket socket) {
        this.socket = socket;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-peer-send-" + socket.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receiveLoop, "rtp-peer-receive-" + socket.getLocalPort());
        this.receiver.setDaemon(true);
    }

    /** Binds a free even port on 127.0.0.1 (RTP ports are even, RFC 3550 §11) and starts receiving. */
    static RtpPeer open() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = Sipp.freeUdpPort() & ~1;
            if (port >= 30000 && port <= 40002) {
                continue;                                   // the gateways' RTP ranges in these tests
            }
            try {
                RtpPeer peer = new RtpPeer(new DatagramSocket(port, InetAddress.getLoopbackAddress()));
                peer.receiver.start();
                return peer;
            } catch (SocketException busy) {
                // taken meanwhile: try another
            }
        }
        throw new IllegalStateException("no free even UDP port");
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Everything received so far, in arrival order. */
    List<Packet> received() {
        assertWellFormed();
        return List.copyOf(received);
    }

    /** Waits for the first packet. */
    Packet awaitFirst(Duration timeout) throws InterruptedException {
        return awaitReceived(p -> !p.isEmpty(), timeout, "a first RTP packet").get(0);
    }

    /** Waits until what was received so far satisfies {@code done}, and returns it. */
    List<Packet> awaitReceived(Predicate<List<Packet>> done, Duration timeout, String what)
            throws InterruptedException {
        List<Packet> packets = Await.until(this::received, done, timeout,
                p -> what + " at port " + port() + ": " + p.size() + " packets received");
        assertWellFormed();
        return packets;
    }

    /**
     * Sends {@code g711} to {@code to} as RTP with {@code payloadType}: one packet of {@value Speech#PACKET_BYTES}
     * bytes every 20 ms, a random SSRC, sequence and timestamp start (RFC 3550 §5.1), the marker on the first
     * (RFC 3551 §4.1). Completes with the local time of the first packet once the last was sent.
     */
    CompletableFuture<LocalDateTime> send(InetSocketAddress to, byte[] g711, int payloadType) {
        int packets = g711.length / Speech.PACKET_BYTES;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int ssrc = random.nextInt();
        int firstSequence = random.nextInt(1 << 16);
        int firstTimestamp = random.nextInt();
        CompletableFuture<LocalDateTime> done = new CompletableFuture<>();
        AtomicReference<LocalDateTime> firstSent = new AtomicReference<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        // Fixed rate: a late run is followed by quicker ones, so the stream keeps its 20 ms average; the gateway
        // places caller audio by RTP timestamp, so the sender's jitter does not move it in the recording.
        task.set(sender.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= packets) {
                task.get().cancel(false);
                done.complete(firstSent.get());
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + Speech.PACKET_BYTES);
            b.put((byte) VERSION_2).put((byte) ((i == 0 ? MARKER : 0) | payloadType))
                    .putShort((short) (firstSequence + i)).putInt(firstTimestamp + i * Speech.PACKET_BYTES)
                    .putInt(ssrc).put(g711, i * Speech.PACKET_BYTES, Speech.PACKET_BYTES);
            if (i == 0) {
                firstSent.set(LocalDateTime.now());
            }
            try {
                socket.send(new DatagramPacket(b.array(), b.capacity(), to));
            } catch (IOException e) {
                done.completeExceptionally(e);
                throw new UncheckedIOException(e);
            }
        }, 0, PACKET_MS, TimeUnit.MILLISECONDS));
        return done;
    }

    /** The payloads of {@code packets} one after the other. */
    static byte[] payloads(List<Packet> packets) {
        ByteBuffer all = ByteBuffer.allocate(packets.stream().mapToInt(p -> p.payload().length).sum());
        packets.forEach(p -> all.put(p.payload()));
        return all.array();
    }

    private void receiveLoop() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(datagram);
            } catch (IOException closed) {
                return;
            }
            LocalDateTime arrival = LocalDateTime.now();            // the clock SIPp's message log uses
            int length = datagram.getLength();
            if (length < HEADER_BYTES || (buffer[0] & 0xC0) != VERSION_2 || (buffer[0] & 0x3F) != 0) {
                // Only version 2, no padding, extension or CSRCs is expected from the gateway.
                malformed.compareAndSet(null, "unexpected datagram of " + length + " bytes, first byte " + buffer[0]);
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, length);
            b.get();
            int second = b.get() & 0xFF;
            int sequence = b.getShort() & 0xFFFF;
            long timestamp = b.getInt() & 0xFFFFFFFFL;
            long ssrc = b.getInt() & 0xFFFFFFFFL;
            byte[] payload = new byte[length - HEADER_BYTES];
            b.get(payload);
            received.add(new Packet((InetSocketAddress) datagram.getSocketAddress(), arrival, second & 0x7F,
                    (second & MARKER) != 0, sequence, timestamp, ssrc, payload));
        }
    }

    private void assertWellFormed() {
        if (malformed.get() != null) {
            throw new AssertionError(malformed.get());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        socket.close();
        try {
            receiver.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
