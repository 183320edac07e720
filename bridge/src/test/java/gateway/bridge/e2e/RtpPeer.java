package gateway.bridge.e2e;

import gateway.testkit.Await;
import gateway.testkit.ImpairedNetwork;
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
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * (RFC 3550 §5.1 header fields, payload, source, local arrival time) and sends the caller's RTP: a continuous stream,
 * 160 bytes of G.711 every 20 ms, into which the test puts speech when it chooses ({@link #stream}), or a stream
 * through a bad network ({@link #sendThrough}). RTCP that arrives (multiplexed on the RTP port, RFC 5761, or on the
 * next port when opened with {@link #openWithRtcp}) is kept apart ({@link #rtcp}).
 *
 * <p>Threading: one daemon thread per socket receives into copy-on-write lists that any thread may read; sending runs
 * on a one-thread scheduler; {@link #close} stops them all.
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
    private final DatagramSocket rtcpSocket;
    private final List<Packet> received = new CopyOnWriteArrayList<>();
    private final List<byte[]> rtcp = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> malformed = new AtomicReference<>();
    private final ScheduledExecutorService sender;
    private final Thread receiver;
    private final Thread rtcpReceiver;

    private RtpPeer(DatagramSocket socket, DatagramSocket rtcpSocket) {
        this.socket = socket;
        this.rtcpSocket = rtcpSocket;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-peer-send-" + socket.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receiveLoop, "rtp-peer-receive-" + socket.getLocalPort());
        this.receiver.setDaemon(true);
        this.rtcpReceiver = rtcpSocket == null ? null
                : new Thread(this::rtcpLoop, "rtcp-peer-" + socket.getLocalPort());
        if (rtcpReceiver != null) {
            rtcpReceiver.setDaemon(true);
        }
    }

    /** Binds a free even port on 127.0.0.1 (RTP ports are even, RFC 3550 §11) and starts receiving. */
    static RtpPeer open() {
        return open(false);
    }

    /** As {@link #open}, and binds the next port too, where RTCP goes without rtcp-mux (RFC 3550 §11). */
    static RtpPeer openWithRtcp() {
        return open(true);
    }

    private static RtpPeer open(boolean withRtcp) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = Sipp.freeUdpPort() & ~1;
            if (port >= 30000 && port <= 40002) {
                continue;                                   // the gateways' RTP ranges in these tests
            }
            DatagramSocket rtp = null;
            try {
                rtp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                DatagramSocket rtcpSocket = withRtcp ? new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())
                        : null;
                RtpPeer peer = new RtpPeer(rtp, rtcpSocket);
                peer.receiver.start();
                if (peer.rtcpReceiver != null) {
                    peer.rtcpReceiver.start();
                }
                return peer;
            } catch (SocketException busy) {
                if (rtp != null) {
                    rtp.close();                            // the RTCP port was taken: try another pair
                }
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

    /** The RTCP datagrams received so far (multiplexed or on the next port), in arrival order. */
    List<byte[]> rtcp() {
        return List.copyOf(rtcp);
    }

    /** Waits until the RTCP received so far satisfies {@code done}, and returns it. */
    List<byte[]> awaitRtcp(Predicate<List<byte[]>> done, Duration timeout, String what) throws InterruptedException {
        return Await.until(this::rtcp, done, timeout, p -> what + ": " + p.size() + " RTCP datagrams received");
    }

    /**
     * Sends packet {@code d.index()} of {@code payloads} at {@code d.atNanos()} after now, for every delivery of
     * {@code network} (a bad network's schedule: some packets never, some twice, out of order), with sequence numbers
     * and timestamps counted from {@code firstSequence} and {@code firstTimestamp} (wrapping as RTP's do). Completes
     * once the last was sent; {@link #close} stops it.
     */
    CompletableFuture<Void> sendThrough(List<ImpairedNetwork.Delivery> network, InetSocketAddress to, int payloadType,
                                        int ssrc, int firstSequence, int firstTimestamp, List<byte[]> payloads) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(network.size());
        for (ImpairedNetwork.Delivery d : network) {
            byte[] payload = payloads.get(d.index());
            DatagramPacket packet = packet(to, payloadType, d.index() == 0, firstSequence + d.index(),
                    firstTimestamp + d.index() * payload.length, ssrc, payload, 0);
            sender.schedule(() -> {
                try {
                    socket.send(packet);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
                if (left.decrementAndGet() == 0) {
                    done.complete(null);
                }
            }, d.atNanos(), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    /** Sends one datagram as it is (the test's own RTCP, say) from the RTP socket to {@code to}. */
    void sendRaw(byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
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
     * Starts a caller's stream to {@code to}, as a phone sends it: one packet with {@code payloadType} every 20 ms,
     * contiguous sequence numbers and timestamps from random starts and one SSRC (RFC 3550 §5.1), the marker on the
     * first (RFC 3551 §4.1). It carries {@code silence} (the codec's code for zero) but while speech put in with
     * {@link Stream#say} plays; it stops when closed.
     */
    Stream stream(InetSocketAddress to, int payloadType, byte silence) {
        byte[] packet = new byte[Speech.PACKET_BYTES];
        Arrays.fill(packet, silence);
        return new Stream(to, payloadType, packet);
    }

    /** As {@link #stream(InetSocketAddress, int, byte)}, silence being one packet's payload (G.722 has no one code). */
    Stream stream(InetSocketAddress to, int payloadType, byte[] silencePacket) {
        return new Stream(to, payloadType, silencePacket);
    }

    /** Where an utterance went into a {@link Stream}: the index of its first packet, and when that was sent. */
    record Said(long firstPacket, LocalDateTime sentAt) {
    }

    /** A continuous stream of the caller's RTP; {@link #say} may be called from any thread. */
    final class Stream implements AutoCloseable {

        private final InetSocketAddress to;
        private final int payloadType;
        private final byte[] silence = new byte[Speech.PACKET_BYTES];
        private final Queue<Utterance> queued = new ConcurrentLinkedQueue<>();
        private final int ssrc;
        private final int firstSequence;
        private final int firstTimestamp;
        private final ScheduledFuture<?> task;
        /** Sender thread only. */
        private long next;
        private Utterance speaking;

        private Stream(InetSocketAddress to, int payloadType, byte[] silencePacket) {
            this.to = to;
            this.payloadType = payloadType;
            System.arraycopy(silencePacket, 0, silence, 0, Speech.PACKET_BYTES);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            this.ssrc = random.nextInt();
            this.firstSequence = random.nextInt(1 << 16);
            this.firstTimestamp = random.nextInt();
            // Fixed rate: a late run is followed by quicker ones, so the stream keeps its 20 ms average; the gateway
            // places caller audio by RTP timestamp, so the sender's jitter does not move it in the recording.
            this.task = sender.scheduleAtFixedRate(this::tick, 0, PACKET_MS, TimeUnit.MILLISECONDS);
        }

        /**
         * Puts {@code g711} into the stream after what is already queued, from its next packet on (the last packet
         * padded with silence); completes with where it went once its last packet was sent.
         */
        CompletableFuture<Said> say(byte[] g711) {
            Utterance u = new Utterance(g711);
            queued.add(u);
            return u.done;
        }

        private void tick() {
            long i = next++;
            if (speaking == null) {
                speaking = queued.poll();
                if (speaking != null) {
                    speaking.firstPacket = i;
                    speaking.sentAt = LocalDateTime.now();
                }
            }
            byte[] payload = silence;
            int offset = 0;
            Utterance done = null;
            if (speaking != null) {
                offset = speaking.sent;
                if (speaking.g711.length - offset < Speech.PACKET_BYTES) {
                    payload = Arrays.copyOf(silence, Speech.PACKET_BYTES);
                    System.arraycopy(speaking.g711, offset, payload, 0, speaking.g711.length - offset);
                    offset = 0;
                } else {
                    payload = speaking.g711;
                }
                speaking.sent += Speech.PACKET_BYTES;
                if (speaking.sent >= speaking.g711.length) {
                    done = speaking;
                    speaking = null;
                }
            }
            try {
                socket.send(packet(to, payloadType, i == 0, (int) (firstSequence + i),
                        (int) (firstTimestamp + i * Speech.PACKET_BYTES), ssrc, payload, offset));
            } catch (IOException e) {
                Utterance cut = done != null ? done : speaking;
                if (cut != null) {
                    cut.done.completeExceptionally(e);
                }
                queued.forEach(u -> u.done.completeExceptionally(e));
                throw new UncheckedIOException(e);
            }
            if (done != null) {
                done.done.complete(new Said(done.firstPacket, done.sentAt));
            }
        }

        /** Stops sending; speech not yet sent is never said. */
        @Override
        public void close() {
            task.cancel(false);
        }
    }

    /** Speech queued in a {@link Stream}; its progress is the sender thread's. */
    private static final class Utterance {
        final byte[] g711;
        final CompletableFuture<Said> done = new CompletableFuture<>();
        long firstPacket;
        LocalDateTime sentAt;
        int sent;

        Utterance(byte[] g711) {
            this.g711 = g711;
        }
    }

    /** One RTP packet (RFC 3550 §5.1) with {@value Speech#PACKET_BYTES} bytes of {@code g711} from {@code offset}. */
    private static DatagramPacket packet(InetSocketAddress to, int payloadType, boolean marker, int sequence,
                                         int timestamp, int ssrc, byte[] g711, int offset) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + Speech.PACKET_BYTES);
        b.put((byte) VERSION_2).put((byte) ((marker ? MARKER : 0) | payloadType))
                .putShort((short) sequence).putInt(timestamp).putInt(ssrc).put(g711, offset, Speech.PACKET_BYTES);
        return new DatagramPacket(b.array(), b.capacity(), to);
    }

    /** RFC 5761 §4: on a shared port, a second byte of 192 to 223 is RTCP. */
    private static boolean isRtcp(byte[] datagram, int length) {
        int second = length > 1 ? datagram[1] & 0xFF : 0;
        return (datagram[0] & 0xC0) == VERSION_2 && second >= 192 && second <= 223;
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
            if (isRtcp(buffer, length)) {
                rtcp.add(Arrays.copyOf(buffer, length));
                continue;
            }
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

    private void rtcpLoop() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        while (!rtcpSocket.isClosed()) {
            try {
                rtcpSocket.receive(datagram);
            } catch (IOException closed) {
                return;
            }
            rtcp.add(Arrays.copyOf(buffer, datagram.getLength()));
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
        if (rtcpSocket != null) {
            rtcpSocket.close();
        }
        try {
            receiver.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
