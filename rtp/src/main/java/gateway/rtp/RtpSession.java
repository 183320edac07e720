package gateway.rtp;

import gateway.time.Clock;
import gateway.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.socket.DatagramChannel;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The RTP media leg of one call: a UDP socket on the call's event loop, caller audio in (decoded, up-sampled,
 * placed on the 24 kHz call timeline) and agent audio out (paced every 20 ms, down-sampled, G.711, RTP), exactly as
 * negotiated in its {@link RtpStreamSpec}: audio is accepted and sent only with the spec's payload type and codec
 * (static or dynamic), in the directions it allows. {@link #update} applies a new negotiation mid-call.
 *
 * <p>Threading: {@link #open} may be called from any thread; the socket, the receive path, the pacer and every
 * {@link MediaListener} call run on the given event loop. {@link #start}, {@link #update} and {@link #close} may be
 * called from any thread and hop onto the loop. Getters are safe from any thread.
 *
 * <p>Symmetric RTP (RFC 4961): packets go to the SDP address until the first valid RTP packet arrives, then to
 * that packet's source, until an update brings a new SDP address (see {@link RemoteEndpoint}). An SDP address the
 * socket cannot reach (an IPv6 address for a socket bound to an IPv4 one, or the reverse) is not sent to: the
 * session waits for the caller's first packet instead.
 *
 * <p>Faults: an exception escaping this session's packet or tick handling (its listener's callbacks included)
 * stops the session (no more ticks, later packets dropped, nothing sent) and is reported once to
 * {@link MediaListener#onMediaFault}; the owner then closes it. Other sessions on the loop and on its pacing wheel
 * are unaffected. Bad input is counted and dropped, with rate-limited logging ({@link RtpProblems}).
 */
public final class RtpSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One RTP packet (G.711 20 ms: 172 bytes; 2048 leaves room for any ptime or extension) per read. */
    private static final FixedRecvByteBufAllocator ONE_DATAGRAM_PER_READ =
            (FixedRecvByteBufAllocator) new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(1);

    private final Channel channel;
    private final Clock clock;
    private final RtpStats stats;
    private final RemoteEndpoint remote;
    private final RtpProblems problems;
    private final RtpReceiveHandler receiver;
    private final SrtpHandler srtp;
    private final DemultiplexHandler demux;
    private final InboundAudioPath inbound;
    private final RtpPacketizer packetizer;
    private final DatagramTransmitter transmitter;
    private final OutboundAudioPath outbound;
    private final Pacer pacer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RtpStreamSpec spec;

    private RtpSession(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener,
            ReceiveSide receiveSide, RtpPacketizer packetizer) {
        this.channel = channel;
        this.clock = wheel.scheduler();
        this.spec = spec;
        this.stats = receiveSide.stats();
        this.remote = receiveSide.remote();
        this.problems = receiveSide.problems();
        this.receiver = receiveSide.handler();
        this.srtp = receiveSide.srtp();
        this.demux = receiveSide.demux();
        this.inbound = receiveSide.inbound();
        this.packetizer = packetizer;
        this.transmitter = new DatagramTransmitter(channel, remote);
        this.outbound = new OutboundAudioPath(listener, packetizer, transmitter, stats, problems);
        this.outbound.sending(spec.send());
        this.pacer = new Pacer(wheel, outbound);
        problems.stopWith(pacer::stop);
        channel.closeFuture().addListener(f -> shutdown());
    }

    /** The parts the socket's handler needs, built before the channel exists ({@link #open} binds with it). */
    private record ReceiveSide(RtpStats stats, RemoteEndpoint remote, RtpProblems problems, InboundAudioPath inbound,
                               RtpReceiveHandler handler, SrtpHandler srtp, DemultiplexHandler demux) {

        /** {@code bindAddress}: the socket's local address, which tells which SDP addresses it can reach; or null. */
        static ReceiveSide create(String label, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener,
                                  InetAddress bindAddress) {
            RtpStats stats = new RtpStats();
            RemoteEndpoint remote = new RemoteEndpoint(spec.remote(), bindAddress);
            RtpProblems problems = new RtpProblems(label, stats, listener, wheel.scheduler(), LOG);
            InboundAudioPath inbound = new InboundAudioPath(listener, stats);
            RtpReceiveHandler handler = new RtpReceiveHandler(spec, inbound, remote, stats, problems, wheel);
            SrtpHandler srtp = new SrtpHandler(label, spec.srtp(), wheel.scheduler());
            DemultiplexHandler demux = new DemultiplexHandler(label, wheel.scheduler());
            return new ReceiveSide(stats, remote, problems, inbound, handler, srtp, demux);
        }

        /**
         * The socket's pipeline: at the datagram edge first what is not RTP (STUN, DTLS) is told apart (RFC 7983), so
         * it never reaches SRTP; then SRTP, then the RTP receive side.
         */
        void install(Channel channel) {
            channel.pipeline().addLast("demux", demux).addLast("srtp", srtp).addLast("rtp", handler);
        }
    }

    /**
     * Binds a UDP socket on {@code loop} and completes with the session, or exceptionally if the bind fails (the
     * caller then releases the port and tries another). The channel class follows the loop's I/O type: an
     * EpollIoHandler loop gets an EpollDatagramChannel, anything else a NioDatagramChannel.
     *
     * @param port  0 for an ephemeral port (tests)
     * @param spec  what the offer/answer negotiated
     * @param wheel the pacing wheel of {@code loop} (one per loop, shared by its calls)
     */
    // RCVBUF_ALLOCATOR and EPOLL_MODE are deprecated in Netty 4.2 with no replacement for one datagram per
    // level-triggered wake-up, which measured cheaper than edge-triggered reading (README, design changes).
    @SuppressWarnings("deprecation")
    public static CompletableFuture<RtpSession> open(EventLoop loop, InetAddress bindAddress, int port,
            RtpStreamSpec spec, PacingWheel wheel, MediaListener listener) {
        ReceiveSide receiveSide = ReceiveSide.create("RTP port " + port, spec, wheel, listener, bindAddress);
        CompletableFuture<RtpSession> result = new CompletableFuture<>();
        Class<? extends DatagramChannel> type = NettyTransport.datagramChannel(loop);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(type).handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        receiveSide.install(ch);
                    }
                })
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
                result.complete(new RtpSession(bind.channel(), spec, wheel, listener, receiveSide,
                        randomPacketizer(spec)));
            } catch (RuntimeException e) {
                bind.channel().close();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** A session on an existing, registered channel (tests use an EmbeddedChannel) with a random stream identity. */
    public static RtpSession attach(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener) {
        return attach(channel, spec, wheel, listener, randomPacketizer(spec));
    }

    /**
     * A session on an existing, registered channel with a fixed outbound stream identity, so tests can assert
     * exact headers.
     *
     * @param ssrc           outbound SSRC (low 32 bits)
     * @param firstSequence  sequence number of the first packet sent (low 16 bits)
     * @param firstTimestamp RTP timestamp of the first packet sent (low 32 bits)
     */
    public static RtpSession attach(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener,
            long ssrc, int firstSequence, long firstTimestamp) {
        return attach(channel, spec, wheel, listener,
                new RtpPacketizer(spec.codec(), spec.payloadType(), ssrc, firstSequence, firstTimestamp));
    }

    private static RtpSession attach(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener,
            RtpPacketizer packetizer) {
        InetAddress local = channel.localAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        ReceiveSide receiveSide = ReceiveSide.create("RTP " + channel.localAddress(), spec, wheel, listener, local);
        receiveSide.install(channel);
        return new RtpSession(channel, spec, wheel, listener, receiveSide, packetizer);
    }

    /**
     * Applies a new negotiated stream mid-call (re-INVITE or UPDATE, RFC 3264 §8), from the next packet in and out:
     * <ul>
     *   <li>codec and payload type: SSRC, sequence and timestamp go on (same 8 kHz clock);</li>
     *   <li>a new remote address: sending goes there, and the next valid packet latches again (from the source
     *       latched so far only after a quarantine, see {@link RemoteEndpoint#retarget}); the same address keeps
     *       what was latched; null sends nothing until an update or a packet gives an address;</li>
     *   <li>{@code send} false (hold): ticks and {@link MediaListener#nextPlayoutFrame} go on, nothing is sent, the
     *       RTP timestamp runs on; the first packet after it carries the marker bit;</li>
     *   <li>{@code receive} false: received packets are dropped and counted ({@link #packetsNotReceiving()}).</li>
     * </ul>
     * Ignored once the session is closed or faulted. Any thread; applied on the loop.
     */
    public void update(RtpStreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        onLoop(() -> apply(spec));
    }

    private void apply(RtpStreamSpec next) {
        if (closed.get() || problems.faulted()) {
            return;
        }
        RtpStreamSpec previous = spec;
        srtp.update(next.srtp());
        receiver.negotiate(next);
        packetizer.payloadFormat(next.codec(), next.payloadType());
        outbound.sending(next.send());
        if (!Objects.equals(next.remote(), previous.remote())) {
            remote.retarget(next.remote(), clock.nanoTime());
        }
        spec = next;
        LOG.log(Level.DEBUG, "{0}: now {1}", channel.localAddress(), next);
    }

    private static RtpPacketizer randomPacketizer(RtpStreamSpec spec) {
        return new RtpPacketizer(spec.codec(), spec.payloadType(), RANDOM.nextInt(), RANDOM.nextInt(),
                RANDOM.nextInt());
    }

    /** Sets sample 0 of the call timeline and starts the 20 ms pacer at the wheel's first boundary from then on. */
    public void start(long answerNanos) {
        inbound.start(answerNanos);
        onLoop(() -> {
            if (!closed.get() && !problems.faulted()) {
                pacer.start(answerNanos);
            }
        });
    }

    /**
     * Tells the pacer that agent audio has just become available. While silence is playing, the talkspurt starts at
     * the wheel's next boundary (now, or within 1 ms) instead of at the next 20 ms tick (the grid moves with it;
     * marker bit and timestamp show the restart). Call on the loop. If the listener throws in that frame, the
     * session faults as from a tick ({@link MediaListener#onMediaFault} runs before this returns); nothing is thrown.
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

    /** Where packets are sent now: the SDP address, or the latched source of the caller's RTP; null if unknown. */
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

    /** The negotiation in force (the last {@link #update} applied, or the one the session was opened with). */
    public RtpStreamSpec spec() {
        return spec;
    }

    public G711 codec() {
        return spec.codec();
    }

    /** Outbound SSRC (unsigned 32 bits). */
    public long ssrc() {
        return packetizer.ssrc();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Arrival time (scheduler clock) of the packet whose audio is being delivered; call on the loop only. */
    public long lastReceiveNanos() {
        return stats.lastReceiveNanos;
    }

    /** Valid RTP packets received (any payload type), until a fault. */
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

    /** Packets with telephone-event or any payload type other than the negotiated audio. */
    public long packetsIgnored() {
        return stats.packetsIgnored;
    }

    /** Audio packets that arrived before {@link #start}. */
    public long packetsBeforeStart() {
        return stats.packetsBeforeStart;
    }

    /** Valid packets dropped because the negotiated stream does not receive (sendonly or inactive). */
    public long packetsNotReceiving() {
        return stats.packetsNotReceiving;
    }

    /** Datagrams that are not valid RTP (too short, version ≠ 2, bad lengths). */
    public long malformed() {
        return stats.malformed;
    }

    /** SRTP packets dropped because their authentication tag was wrong (RFC 3711 §3.3 step 5). */
    public long srtpAuthFailures() {
        return srtp.authFailures;
    }

    /** SRTP packets dropped as replays or too old for the replay window (RFC 3711 §3.3.2). */
    public long srtpReplays() {
        return srtp.replays;
    }

    /** STUN Binding requests answered on the RTP port (RFC 5389 §7.3). */
    public long stunAnswered() {
        return demux.stunAnswered;
    }

    /** STUN messages dropped on the RTP port: not a Binding request, malformed, or over the answer rate. */
    public long stunDropped() {
        return demux.stunDropped;
    }

    /** Datagrams on the RTP port that are neither RTP/RTCP nor STUN (DTLS, ZRTP, noise; RFC 7983), dropped. */
    public long notRtpDropped() {
        return demux.dtlsDropped + demux.otherDropped;
    }

    /** Datagrams dropped while SRTP is on because they are not RTP or too short for a header and a tag. */
    public long srtpInvalid() {
        return srtp.invalid;
    }

    /** Pacer ticks skipped after an event-loop stall longer than the catch-up limit. */
    public long ticksSkipped() {
        return stats.ticksSkipped;
    }

    /** Ticks not sent because the previous packet was still queued in the socket. */
    public long sendsBusy() {
        return stats.sendsBusy;
    }

    /** Ticks not sent because no remote address was known (late offer before its answer, c=0.0.0.0). */
    public long sendsNoRemote() {
        return stats.sendsNoRemote;
    }
}
