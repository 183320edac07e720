package gateway.rtp;

import gateway.time.CallTimeline;
import gateway.time.Clock;
import gateway.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
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
 * The RTP media leg of one call: a UDP socket on the call's event loop (and one for RTCP on the next port), caller
 * audio in (ordered by a jitter buffer, losses concealed, decoded, up-sampled, placed on the 24 kHz call timeline:
 * {@link InboundAudioPath}) and agent audio out (paced every packet time, 20 ms unless the caller asked for another,
 * down-sampled, G.711, RTP), exactly as negotiated in its {@link RtpStreamSpec}: audio is accepted and sent only
 * with the spec's payload type and codec (static or dynamic), in the directions it allows. {@link #update} applies
 * a new negotiation mid-call. RTCP reports go both ways ({@link RtcpSession}); {@link #quality()} sums up the call's
 * media; a caller that sends nothing for the configured time is reported ({@link MediaListener#onMediaTimeout}).
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
    private static final double NANOS_PER_MS = 1_000_000.0;
    private static final double UNITS_PER_MS = CallTimeline.RTP_CLOCK_RATE / 1000.0;
    /** One RTP packet (G.711 20 ms: 172 bytes; 2048 leaves room for any ptime or extension) per read. */
    private static final FixedRecvByteBufAllocator ONE_DATAGRAM_PER_READ =
            (FixedRecvByteBufAllocator) new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(1);

    private final Channel channel;
    private final Channel rtcpChannel;
    private final Clock clock;
    private final MediaListener listener;
    private final RtpStats stats;
    private final RemoteEndpoint remote;
    private final RemoteEndpoint rtcpRemote;
    private final ConnectedSource connection;
    private final RtpProblems problems;
    private final RtpReceiveHandler receiver;
    private final SrtpHandler srtp;
    private final DemultiplexHandler demux;
    private final InboundAudioPath inbound;
    private final RtpPacketizer packetizer;
    private final DatagramTransmitter transmitter;
    private final RtcpRoute rtcpRoute;
    private final RtcpSession rtcp;
    private final OutboundAudioPath outbound;
    private final Pacer pacer;
    private final long inactivityTimeoutNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RtpStreamSpec spec;
    private boolean timedOut;

    private RtpSession(Channel channel, Channel rtcpChannel, RtpStreamSpec spec, PacingWheel wheel,
            MediaListener listener, ReceiveSide receiveSide, RtpSettings settings) {
        this.channel = channel;
        this.rtcpChannel = rtcpChannel;
        this.clock = wheel.scheduler();
        this.listener = listener;
        this.spec = spec;
        this.stats = receiveSide.stats();
        this.remote = receiveSide.remote();
        this.rtcpRemote = receiveSide.rtcpRemote();
        this.connection = receiveSide.connection();
        this.problems = receiveSide.problems();
        this.receiver = receiveSide.handler();
        this.srtp = receiveSide.srtp();
        this.demux = receiveSide.demux();
        this.inbound = receiveSide.inbound();
        this.packetizer = receiveSide.packetizer();
        this.rtcp = receiveSide.rtcp();
        this.rtcpRoute = receiveSide.rtcpRoute();
        this.inactivityTimeoutNanos = settings.inactivityTimeoutNanos();
        this.transmitter = new DatagramTransmitter(channel, remote, connection);
        rtcpRoute.connect(new DatagramTransmitter(channel, remote, connection), rtcpChannel == null ? null
                : new DatagramTransmitter(rtcpChannel, rtcpRemote, new ConnectedSource(false)), spec.rtcpMux());
        this.outbound = new OutboundAudioPath(listener, packetizer, transmitter, stats, problems);
        this.outbound.sending(spec.send());
        this.pacer = new Pacer(wheel, new SessionTicks());
        pacer.period(CallTimeline.msToNanos(spec.ptimeMs()));
        problems.stopWith(pacer::stop);
        channel.closeFuture().addListener(f -> shutdown());
    }

    /**
     * The parts the sockets' handlers need, built before the channels exist ({@link #open} binds with them): SRTP at
     * the RTP socket's edge, the receive paths of RTP and RTCP, and the packetizer whose SSRC the RTCP reports carry.
     */
    private record ReceiveSide(RtpStats stats, RemoteEndpoint remote, RemoteEndpoint rtcpRemote,
                               ConnectedSource connection, RtpProblems problems,
                               InboundAudioPath inbound, RtpPacketizer packetizer, RtcpRoute rtcpRoute,
                               RtcpSession rtcp, RtcpReceiveHandler rtcpHandler, RtpReceiveHandler handler,
                               SrtpHandler srtp, DemultiplexHandler demux) {

        /**
         * {@code bindAddress}: the socket's local address, which tells which SDP addresses it can reach; or null.
         * {@code connectable}: whether the socket may be connected to its latched source ({@link ConnectedSource}).
         */
        static ReceiveSide create(String label, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener,
                                  RtpPacketizer packetizer, RtpSettings settings, InetAddress bindAddress,
                                  boolean connectable) {
            RtpStats stats = new RtpStats();
            RemoteEndpoint remote = new RemoteEndpoint(spec.remote(), bindAddress);
            RemoteEndpoint rtcpRemote = new RemoteEndpoint(spec.rtcpTarget());
            ConnectedSource connection = new ConnectedSource(settings.strictSource() && connectable);
            RtpProblems problems = new RtpProblems(label, stats, listener, wheel.scheduler(), LOG);
            InboundAudioPath inbound = new InboundAudioPath(listener, stats);
            packetizer.packetTime(spec.ptimeMs());
            RtcpRoute route = new RtcpRoute();
            RtcpSession rtcp = new RtcpSession(stats, inbound.statistics(), packetizer, route, settings.wallClock(),
                    RANDOM.nextLong());
            rtcp.secure(spec.srtp());
            RtcpReceiveHandler rtcpHandler = new RtcpReceiveHandler(rtcp, rtcpRemote, stats, problems,
                    wheel.scheduler());
            RtpReceiveHandler handler = new RtpReceiveHandler(spec, inbound, rtcpHandler, remote, connection, stats,
                    problems, wheel);
            SrtpHandler srtp = new SrtpHandler(label, spec.srtp(), wheel.scheduler());
            DemultiplexHandler demux = new DemultiplexHandler(label, wheel.scheduler());
            return new ReceiveSide(stats, remote, rtcpRemote, connection, problems, inbound, packetizer, route, rtcp,
                    rtcpHandler, handler, srtp, demux);
        }

        /**
         * The RTP socket's pipeline: at the datagram edge first what is not RTP (STUN, DTLS) is told apart (RFC 7983),
         * so it never reaches SRTP; then SRTP, then the RTP receive side.
         */
        void install(Channel channel) {
            channel.pipeline().addLast("demux", demux).addLast("srtp", srtp).addLast("rtp", handler);
        }

        /** The RTP socket's initializer, for a bootstrap. */
        ChannelHandler initializer() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    install(ch);
                }
            };
        }
    }

    /**
     * Where RTCP goes: over the RTP socket to the RTP remote under rtcp-mux (RFC 5761), else over the RTCP socket to
     * the RTCP remote. Loop only.
     */
    private static final class RtcpRoute implements PacketSink {
        private DatagramTransmitter muxed;
        private DatagramTransmitter separate;
        private boolean mux;

        void connect(DatagramTransmitter onRtpPort, DatagramTransmitter onRtcpPort, boolean rtcpMux) {
            this.muxed = onRtpPort;
            this.separate = onRtcpPort;
            this.mux = rtcpMux;
        }

        void mux(boolean rtcpMux) {
            this.mux = rtcpMux;
        }

        private DatagramTransmitter current() {
            return mux ? muxed : separate;
        }

        @Override
        public boolean hasRemote() {
            return current() != null && current().hasRemote();
        }

        @Override
        public ByteBuf acquire() {
            return current().acquire();
        }

        @Override
        public void send(ByteBuf packet) {
            current().send(packet);
        }

        void release() {
            muxed.release();
            if (separate != null) {
                separate.release();
            }
        }
    }

    /** What each pacer tick does: the caller's playout, the agent's packet, RTCP, the inactivity check. */
    private final class SessionTicks implements Pacer.Ticks {

        @Override
        public void onTick(long position) {
            long now = clock.nanoTime();
            inbound.onTick(now, now - pacer.tickNanos());
            outbound.onTick(position);
            rtcp.onTick(now);
            checkInactivity(now);
        }

        @Override
        public void onSkipped(long count) {
            outbound.onSkipped(count);
        }

        @Override
        public void onEarly(long earlyNanos) {
            outbound.onEarly(earlyNanos);
        }

        @Override
        public void onFault(Throwable error) {
            outbound.onFault(error);
        }
    }

    /** RTP timeout: nothing from the caller for the configured time while the stream should flow. Reported once. */
    private void checkInactivity(long now) {
        RtpStreamSpec current = spec;
        if (inactivityTimeoutNanos > 0 && !timedOut && current.send() && current.receive()
                && now - stats.lastActivityNanos >= inactivityTimeoutNanos) {
            timedOut = true;
            listener.onMediaTimeout(now - stats.lastActivityNanos);
        }
    }

    /**
     * Binds the RTP and RTCP sockets on {@code loop} and completes with the session, or exceptionally if a bind fails
     * (the caller then releases the port and tries another). The channel class follows the loop's I/O type: an
     * EpollIoHandler loop gets an EpollDatagramChannel, anything else a NioDatagramChannel.
     *
     * @param port     0 for an ephemeral port (tests); RTCP is bound on the next port, and a failure there fails the
     *                 open too
     * @param spec     what the offer/answer negotiated
     * @param wheel    the pacing wheel of {@code loop} (one per loop, shared by its calls)
     * @param settings the inactivity timeout and the wall clock of RTCP reports
     */
    public static CompletableFuture<RtpSession> open(EventLoop loop, InetAddress bindAddress, int port,
            RtpStreamSpec spec, PacingWheel wheel, MediaListener listener, RtpSettings settings) {
        // Connected to its latched source only on an explicit port (Linux keeps the port of a disconnected UDP socket
        // only if it was bound to it, SOCK_BINDPORT_LOCK) and on epoll (the JDK's connect drops what is queued).
        boolean connectable = port != 0 && NettyTransport.datagramChannel(loop) == EpollDatagramChannel.class;
        ReceiveSide receiveSide = ReceiveSide.create("RTP port " + port, spec, wheel, listener,
                randomPacketizer(spec), settings, bindAddress, connectable);
        CompletableFuture<RtpSession> result = new CompletableFuture<>();
        ChannelFuture bind = bootstrap(loop, receiveSide.initializer()).bind(new InetSocketAddress(bindAddress, port));
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            // RTCP on the next port (RFC 3550 §11); an ephemeral RTP port (tests) gets an ephemeral RTCP port.
            int rtcpPort = port == 0 ? 0 : port + 1;
            ChannelFuture rtcpBind = bootstrap(loop, receiveSide.rtcpHandler())
                    .bind(new InetSocketAddress(bindAddress, rtcpPort));
            rtcpBind.addListener(r -> {
                if (!r.isSuccess()) {
                    bind.channel().close();
                    result.completeExceptionally(r.cause());
                    return;
                }
                try {
                    result.complete(new RtpSession(bind.channel(), rtcpBind.channel(), spec, wheel, listener,
                            receiveSide, settings));
                } catch (RuntimeException e) {
                    bind.channel().close();
                    rtcpBind.channel().close();
                    result.completeExceptionally(e);
                }
            });
        });
        return result;
    }

    // RCVBUF_ALLOCATOR and EPOLL_MODE are deprecated in Netty 4.2 with no replacement for one datagram per
    // level-triggered wake-up, which measured cheaper than edge-triggered reading (README, design changes).
    @SuppressWarnings("deprecation")
    private static Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        Class<? extends DatagramChannel> type = NettyTransport.datagramChannel(loop);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(type).handler(handler)
                .option(ChannelOption.RCVBUF_ALLOCATOR, ONE_DATAGRAM_PER_READ)
                // Active from registration, not from bind or connect: Netty's epoll channel would otherwise turn
                // inactive on the disconnect after a new SDP address (ConnectedSource), and refuse every write.
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
        if (type == EpollDatagramChannel.class) {
            // Level-triggered, one datagram per wake-up: no recvmsg that finds the socket empty (EAGAIN) after
            // each packet, as edge-triggered reading until empty costs. A second queued packet wakes the loop again.
            bootstrap.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        return bootstrap;
    }

    /** A session on an existing, registered channel (tests use an EmbeddedChannel) with a random stream identity. */
    public static RtpSession attach(Channel channel, RtpStreamSpec spec, PacingWheel wheel, MediaListener listener) {
        return attach(channel, null, spec, wheel, listener, RtpSettings.DEFAULTS);
    }

    /**
     * A session on existing, registered channels with a random stream identity: RTP on {@code channel}, RTCP on
     * {@code rtcpChannel} (null: none, except multiplexed on the RTP channel).
     */
    public static RtpSession attach(Channel channel, Channel rtcpChannel, RtpStreamSpec spec, PacingWheel wheel,
            MediaListener listener, RtpSettings settings) {
        return attach(channel, rtcpChannel, spec, wheel, listener, randomPacketizer(spec), settings);
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
        return attach(channel, null, spec, wheel, listener,
                new RtpPacketizer(spec.codec(), spec.payloadType(), ssrc, firstSequence, firstTimestamp),
                RtpSettings.DEFAULTS);
    }

    private static RtpSession attach(Channel channel, Channel rtcpChannel, RtpStreamSpec spec, PacingWheel wheel,
            MediaListener listener, RtpPacketizer packetizer, RtpSettings settings) {
        InetAddress local = channel.localAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        ReceiveSide receiveSide = ReceiveSide.create("RTP " + channel.localAddress(), spec, wheel, listener,
                packetizer, settings, local, false);
        receiveSide.install(channel);
        if (rtcpChannel != null) {
            rtcpChannel.pipeline().addLast(receiveSide.rtcpHandler());
        }
        return new RtpSession(channel, rtcpChannel, spec, wheel, listener, receiveSide, settings);
    }

    /**
     * Applies a new negotiated stream mid-call (re-INVITE or UPDATE, RFC 3264 §8), from the next packet in and out:
     * <ul>
     *   <li>codec and payload type: SSRC, sequence and timestamp go on (same 8 kHz clock);</li>
     *   <li>a new remote address: sending goes there, the socket hears every source again
     *       ({@link ConnectedSource#disconnect}), and the next valid packet latches again (from the source latched so
     *       far only after a quarantine, see {@link RemoteEndpoint#retarget}); the same address keeps what was
     *       latched; null sends nothing until an update or a packet gives an address;</li>
     *   <li>{@code send} false (hold): ticks and {@link MediaListener#nextPlayoutFrame} go on, nothing is sent, the
     *       RTP timestamp runs on; the first packet after it carries the marker bit;</li>
     *   <li>{@code receive} false: received packets are dropped and counted ({@link #packetsNotReceiving()});</li>
     *   <li>a new packet time: from the next tick on, which keeps its time; RTCP follows rtcp-mux and its
     *       address.</li>
     * </ul>
     * The inactivity timeout starts afresh.
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
        long now = clock.nanoTime();
        srtp.update(next.srtp());
        rtcp.secure(next.srtp());
        receiver.negotiate(next);
        packetizer.payloadFormat(next.codec(), next.payloadType());
        packetizer.packetTime(next.ptimeMs());
        pacer.period(CallTimeline.msToNanos(next.ptimeMs()));
        outbound.sending(next.send());
        if (!Objects.equals(next.remote(), previous.remote())) {
            remote.retarget(next.remote(), now);
            connection.disconnect(channel);
        }
        if (!Objects.equals(next.rtcpTarget(), previous.rtcpTarget())) {
            rtcpRemote.retarget(next.rtcpTarget(), now);
        }
        rtcpRoute.mux(next.rtcpMux());
        stats.lastActivityNanos = now;
        spec = next;
        LOG.log(Level.DEBUG, "{0}: now {1}", channel.localAddress(), next);
    }

    private static RtpPacketizer randomPacketizer(RtpStreamSpec spec) {
        return new RtpPacketizer(spec.codec(), spec.payloadType(), RANDOM.nextInt(), RANDOM.nextInt(),
                RANDOM.nextInt());
    }

    /**
     * Sets sample 0 of the call timeline and starts the pacer at the wheel's first boundary from then on, the RTCP
     * reports and the inactivity timeout.
     */
    public void start(long answerNanos) {
        inbound.start(answerNanos);
        onLoop(() -> {
            if (!closed.get() && !problems.faulted()) {
                stats.lastActivityNanos = answerNanos;
                pacer.start(answerNanos);
                rtcp.start(clock.nanoTime());
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
        if (!closed.get() && !outbound.speaking() && !outbound.keying()) {
            pacer.tickNow();
        }
    }

    /**
     * Sends key presses to the caller as RFC 4733 telephone-events on the negotiated telephone-event payload type,
     * from the next tick on, each held {@code durationMs} (40 to 2000) with 80 ms between them; agent audio waits
     * until the last one is out ({@link TelephoneEventSender}). Each digit is reported by
     * {@link MediaListener#onDigitSent} as it starts. Call on the loop.
     *
     * @param digits 0-9, *, #, A-D
     * @return false, and nothing is sent, when the caller did not negotiate telephone-event, a digit or the duration
     *         is out of range, or more than 64 digits would be waiting
     */
    public boolean sendDigits(CharSequence digits, int durationMs) {
        int eventPt = spec.telephoneEventPt();
        return eventPt >= 0 && !closed.get() && !problems.faulted()
                && outbound.sendDigits(digits, durationMs, eventPt);
    }

    /**
     * Sends a last RTCP report with a BYE (RFC 3550 §6.6), stops the pacer and closes the sockets; idempotent, any
     * thread. The ports are not released here.
     */
    @Override
    public void close() {
        onLoop(() -> {
            if (!closed.get() && !problems.faulted()) {
                rtcp.goodbye(clock.nanoTime());
            }
            channel.close();
        });
    }

    private void shutdown() {
        if (closed.compareAndSet(false, true)) {
            pacer.stop();
            transmitter.release();
            rtcpRoute.release();
            if (rtcpChannel != null) {
                rtcpChannel.close();
            }
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

    /** The source the RTP socket is connected to and alone hears ({@code rtp.strict-source}), or null. */
    public InetSocketAddress connectedSource() {
        return connection.peer();
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

    public RtpCodec codec() {
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

    /** The RTCP port's local address; null for a session without one (tests). */
    public InetSocketAddress rtcpLocalAddress() {
        return rtcpChannel == null ? null : (InetSocketAddress) rtcpChannel.localAddress();
    }

    /** The call's media so far (see {@link MediaQuality}); call on the loop. */
    public MediaQuality quality() {
        ReceiveStatistics receive = inbound.statistics();
        long expected = receive.active() ? receive.cumulativeExpected() : 0;
        long missing = inbound.packetsConcealed();
        double lossPercent = expected > 0 ? 100.0 * missing / expected : 0;
        double burst = EModel.burstRatio(inbound.lossEvents(), missing, expected);
        double rttMs = rtcp.rttCount() > 0 ? rtcp.rttMeanNanos() / NANOS_PER_MS : -1;
        double rttMaxMs = rtcp.rttCount() > 0 ? rtcp.rttMaxNanos() / NANOS_PER_MS : -1;
        long played = inbound.packetsPlayed();
        double bufferMs = played == 0 ? 0 : (double) stats.heldNanos / played / NANOS_PER_MS;
        double oneWayMs = Math.max(0, rttMs) / 2 + inbound.packetUnits() / UNITS_PER_MS + bufferMs;
        double r = EModel.rFactor(lossPercent, burst, oneWayMs);
        MediaQuality.Remote remoteView = rtcp.remoteReports() == 0 ? null : new MediaQuality.Remote(
                rtcp.remoteReports(), rtcp.remoteFractionLost() * 100.0 / 256, rtcp.remoteCumulativeLost(),
                rtcp.remoteJitter() / UNITS_PER_MS);
        return new MediaQuality(stats.packetsReceived, stats.packetsSent, expected, stats.packetsLost,
                stats.packetsDroppedLate, stats.packetsDuplicated,
                Math.round(stats.concealedUnits / UNITS_PER_MS), receive.meanJitter() / UNITS_PER_MS,
                receive.maxJitter() / UNITS_PER_MS, rttMs, rttMaxMs, bufferMs, stats.streamRestarts, remoteView, r,
                EModel.mos(r), inbound.losses().stretches().stream()
                        .map(l -> new MediaQuality.Loss(l.startPosition(), l.endPosition(), l.packets())).toList());
    }

    /** Duplicate packets dropped. */
    public long packetsDuplicated() {
        return stats.packetsDuplicated;
    }

    /** Caller audio concealed, in ms. */
    public long concealedMs() {
        return Math.round(stats.concealedUnits / UNITS_PER_MS);
    }

    /** RTCP compound packets received from the caller and sent to it. */
    public long rtcpReceived() {
        return stats.rtcpReceived;
    }

    public long rtcpSent() {
        return stats.rtcpSent;
    }

    /** Times the caller's stream started afresh (new SSRC, jumps). */
    public long streamRestarts() {
        return stats.streamRestarts;
    }

    /** Valid RTP packets received (any payload type), until a fault. */
    public long packetsReceived() {
        return stats.packetsReceived;
    }

    public long packetsSent() {
        return stats.packetsSent;
    }

    /** Packets lost as RFC 3550 counts them: expected from the sequence numbers minus received. */
    public long packetsLost() {
        return stats.packetsLost;
    }

    /** Packets that arrived after their place in the stream had been concealed. */
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

    /** SRTP and SRTCP packets dropped because their authentication tag was wrong (RFC 3711 §3.3 step 5, §3.4). */
    public long srtpAuthFailures() {
        return srtp.authFailures + rtcp.srtcpAuthFailures;
    }

    /** SRTP and SRTCP packets dropped as replays or too old for the replay window (RFC 3711 §3.3.2). */
    public long srtpReplays() {
        return srtp.replays + rtcp.srtcpReplays;
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
        return srtp.invalid + rtcp.srtcpInvalid;
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
