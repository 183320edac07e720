package gateway.rtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The RTP media leg of one call: a UDP socket on the call's event loop, caller audio in (decoded, up-sampled,
 * placed on the 24 kHz call timeline) and agent audio out (paced every 20 ms, down-sampled, G.711, RTP).
 *
 * <p>Threading: {@link #open} may be called from any thread; the socket, the receive path, the pacer and every
 * {@link MediaListener} call run on the given event loop. {@link #start} and {@link #close} may be called from
 * any thread and hop onto the loop. Getters are safe from any thread.
 *
 * <p>Symmetric RTP (RFC 4961): packets go to the SDP address until the first valid RTP packet arrives, then to
 * that packet's source for the rest of the call (no re-latching).
 */
public final class RtpSession implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** One RTP packet (G.711 20 ms: 172 bytes; 2048 leaves room for any ptime or extension) per read. */
    private static final FixedRecvByteBufAllocator ONE_DATAGRAM_PER_READ =
            (FixedRecvByteBufAllocator) new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(1);

    private final Channel channel;
    private final G711 codec;
    private final RtpStats stats;
    private final RemoteEndpoint remote;
    private final InboundAudioPath inbound;
    private final RtpPacketizer packetizer;
    private final DatagramTransmitter transmitter;
    private final Pacer pacer;
    private final OutboundAudioPath outbound;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RtpSession(Channel channel, G711 codec, PacingWheel wheel, MediaListener listener, RtpStats stats,
            RemoteEndpoint remote, InboundAudioPath inbound, RtpPacketizer packetizer) {
        this.channel = channel;
        this.codec = codec;
        this.stats = stats;
        this.remote = remote;
        this.inbound = inbound;
        this.packetizer = packetizer;
        this.transmitter = new DatagramTransmitter(channel, remote);
        this.outbound = new OutboundAudioPath(listener, packetizer, transmitter, stats);
        this.pacer = new Pacer(wheel, outbound);
        channel.closeFuture().addListener(f -> shutdown());
    }

    /**
     * Binds a UDP socket on {@code loop} and completes with the session, or exceptionally if the bind fails (the
     * caller then releases the port and tries another). The channel class follows the loop's I/O type: an
     * EpollIoHandler loop gets an EpollDatagramChannel, anything else a NioDatagramChannel.
     *
     * @param port             0 for an ephemeral port (tests)
     * @param telephoneEventPt negotiated RFC 4733 payload type, or -1
     * @param wheel            the pacing wheel of {@code loop} (one per loop, shared by its calls)
     */
    public static CompletableFuture<RtpSession> open(EventLoop loop, InetAddress bindAddress, int port,
            RtpStreamSpec spec, PacingWheel wheel, MediaListener listener) {
        G711 codec = spec.codec();
        int telephoneEventPt = spec.telephoneEventPt();
        InetSocketAddress sdpRemote = spec.remote();
        RtpStats stats = new RtpStats();
        RemoteEndpoint remote = new RemoteEndpoint(sdpRemote);
        InboundAudioPath inbound = new InboundAudioPath(codec, telephoneEventPt, listener, stats);
        RtpReceiveHandler handler = new RtpReceiveHandler(inbound, remote, stats, wheel);
        CompletableFuture<RtpSession> result = new CompletableFuture<>();
        Class<? extends DatagramChannel> type = channelType(loop);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(type).handler(handler)
                .option(ChannelOption.RCVBUF_ALLOCATOR, ONE_DATAGRAM_PER_READ);
        if (type == EpollDatagramChannel.class) {
            // Level-triggered, one datagram per wake-up: no recvmsg that finds the socket empty (EAGAIN) after
            // each packet, as edge-triggered reading until empty costs. A second queued packet wakes the loop again.
            bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        ChannelFuture bind = bootstrap.bind(new InetSocketAddress(bindAddress, port));
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            try {
                result.complete(new RtpSession(bind.channel(), codec, wheel, listener, stats, remote, inbound,
                        randomPacketizer(codec)));
            } catch (RuntimeException e) {
                bind.channel().close();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** A session on an existing, registered channel (tests use an EmbeddedChannel) with a random stream identity. */
    public static RtpSession attach(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener) {
        return attach(channel, spec.codec(), spec.telephoneEventPt(), spec.remote(), wheel, listener,
                randomPacketizer(spec.codec()));
    }

    /**
     * Applies a new negotiated stream mid-call (re-INVITE or UPDATE): another remote address (re-latched from the
     * next packet), payload type, codec or direction. Call on the loop.
     */
    public void update(RtpStreamSpec spec) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A session on an existing, registered channel (tests use an EmbeddedChannel) with a fixed stream identity. */
    static RtpSession attach(Channel channel, G711 codec, int telephoneEventPt, InetSocketAddress sdpRemote,
            PacingWheel wheel, MediaListener listener, RtpPacketizer packetizer) {
        RtpStats stats = new RtpStats();
        RemoteEndpoint remote = new RemoteEndpoint(sdpRemote);
        InboundAudioPath inbound = new InboundAudioPath(codec, telephoneEventPt, listener, stats);
        channel.pipeline().addLast(new RtpReceiveHandler(inbound, remote, stats, wheel));
        return new RtpSession(channel, codec, wheel, listener, stats, remote, inbound, packetizer);
    }

    static Class<? extends DatagramChannel> channelType(EventLoop loop) {
        if (loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)) {
            return EpollDatagramChannel.class;
        }
        return NioDatagramChannel.class;
    }

    private static RtpPacketizer randomPacketizer(G711 codec) {
        return new RtpPacketizer(codec, RANDOM.nextInt(), RANDOM.nextInt(), RANDOM.nextInt());
    }

    /** Sets sample 0 of the call timeline and starts the 20 ms pacer at the wheel's first boundary from then on. */
    public void start(long answerNanos) {
        inbound.start(answerNanos);
        onLoop(() -> {
            if (!closed.get()) {
                pacer.start(answerNanos);
            }
        });
    }

    /**
     * Tells the pacer that agent audio has just become available. While silence is playing, the talkspurt starts at
     * the wheel's next boundary (now, or within 1 ms) instead of at the next 20 ms tick (the grid moves with it;
     * marker bit and timestamp show the restart). Call on the loop.
     */
    public void playoutReady() {
        if (!closed.get() && !outbound.speaking()) {
            pacer.tickNow();
        }
    }

    /** Stops the pacer and closes the socket; idempotent, any thread. The port is not released here. */
    @Override
    public void close() {
        onLoop(() -> channel.close());
    }

    private void shutdown() {
        if (closed.compareAndSet(false, true)) {
            pacer.stop();
            transmitter.release();
        }
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** Where packets are sent now: the SDP address, or the latched source of the caller's RTP. */
    public InetSocketAddress remote() {
        return remote.current();
    }

    /** True once the remote address was latched from received RTP. */
    public boolean latched() {
        return remote.latched();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public G711 codec() {
        return codec;
    }

    /** Outbound SSRC (unsigned 32 bits). */
    public long ssrc() {
        return packetizer.ssrc();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Valid RTP packets received (any payload type). */
    /** Arrival time (scheduler clock) of the packet whose audio is being delivered; call on the loop only. */
    public long lastReceiveNanos() {
        return stats.lastReceiveNanos;
    }

    public long packetsReceived() {
        return stats.packetsReceived;
    }

    public long packetsSent() {
        return stats.packetsSent;
    }

    /** Packets missing from sequence gaps. */
    public long packetsLost() {
        return stats.packetsLost;
    }

    /** Duplicate or out-of-order packets that arrived after a newer one was played. */
    public long packetsDroppedLate() {
        return stats.packetsDroppedLate;
    }

    /** Packets with telephone-event or any payload type other than the codec. */
    public long packetsIgnored() {
        return stats.packetsIgnored;
    }

    /** Audio packets that arrived before {@link #start}. */
    public long packetsBeforeStart() {
        return stats.packetsBeforeStart;
    }

    /** Datagrams that are not valid RTP (too short, version ≠ 2, bad lengths). */
    public long malformed() {
        return stats.malformed;
    }

    /** Pacer ticks skipped after an event-loop stall longer than the catch-up limit. */
    public long ticksSkipped() {
        return stats.ticksSkipped;
    }

    /** Ticks not sent because the previous packet was still queued in the socket. */
    public long sendsBusy() {
        return stats.sendsBusy;
    }
}
