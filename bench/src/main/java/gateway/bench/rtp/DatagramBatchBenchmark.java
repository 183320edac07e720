package gateway.bench.rtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The transport's part of a call's media on a media loop (the kernel and Netty, no audio work), and what one shared
 * RTP socket per loop, read with {@code recvmmsg} and written with {@code sendmmsg}, would save against today's
 * socket per call. Each operation is one 20 ms round: a peer loop (the callers) sends one 172-byte datagram from
 * each of {@code calls} sockets; the media loop reads each and answers it with one datagram; the round ends when the
 * peers have every answer.
 * <ul>
 *   <li>{@code perCall}: as the gateway runs today, one unconnected socket per call, level-triggered, one datagram per
 *       read, each answer written and flushed on its own ({@code recvmsg} and {@code sendto} per packet);</li>
 *   <li>{@code shared}: one socket, read up to 64 datagrams at a time ({@code recvmmsg}) and told apart by source
 *       address, the answers written and flushed once per read ({@code sendmmsg});</li>
 *   <li>{@code sharedOnClock}: the same socket read on the loop's own clock, once a millisecond (the pacing wheel's
 *       slot), instead of whenever a datagram arrives: a packet waits up to 1 ms, and the loop is not woken by
 *       packets.</li>
 * </ul>
 * Without {@code spread} the peers send a round at once, so the shared socket finds full batches: the most it can
 * give. With it, each call's packet comes at its own phase of the 20 ms, as at a live gateway, which wakes the media
 * loop as a live one is woken. With {@code frameBytes}, each call also has the TCP connection its WebSocket would be,
 * and half the calls write that many bytes on it each round (the gateway sends the caller's audio every 40 ms).
 * Each iteration prints the media loop thread's CPU time per round (the peers' is not counted) and per call, and the
 * datagrams per read burst.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class DatagramBatchBenchmark {

    private static final int PACKET = 172;
    private static final int BATCH = 64;
    private static final long ROUND_NANOS = 20_000_000L;
    /** How often {@code sharedOnClock} reads: the pacing wheel's slot. */
    private static final long CLOCK_NANOS = 1_000_000L;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Param({"150"})
    public int calls;

    @Param({"perCall", "shared", "sharedOnClock"})
    public String mode;

    /**
     * Bytes each call also writes on its own TCP connection every other round (0: none): 2,700 is a 40 ms batch of
     * caller audio as {@code input_audio_buffer.append} frames, which the gateway sends on the call's WebSocket.
     */
    @Param({"0", "2700"})
    public int frameBytes;

    /**
     * Whether the callers' packets are spread evenly over the 20 ms of a round, each call at its own phase, as they
     * arrive at a live gateway (a round then takes 20 ms of real time, and the media loop is woken as a live one
     * is); else a round's packets are all sent at once.
     */
    @Param({"false", "true"})
    public boolean spread;

    private EventLoopGroup mediaGroup;
    private EventLoopGroup peerGroup;
    private Channel[] peers;
    private Channel[] media;
    private InetSocketAddress[] peerAddresses;
    private final AtomicInteger answered = new AtomicInteger();
    private ByteBuf payload;
    private ByteBuf frame;
    private Channel[] webSockets;
    private Channel frameSink;
    private volatile int parity;
    private ScheduledFuture<?> readClock;
    private volatile long mediaThreadId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private long cpuNanos;
    private long rounds;
    /** Datagrams the media loop read, and the reads that ended a burst (channelReadComplete), this iteration. */
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger bursts = new AtomicInteger();

    @Setup(Level.Iteration)
    public void clearCounts() {
        cpuNanos = 0;
        rounds = 0;
        received.set(0);
        bursts.set(0);
    }

    /**
     * Prints the media loop's CPU time per round of the iteration (in the fork's output, beside JMH's line) and the
     * datagrams per read burst; fails the run unless the media loop read every datagram of every round.
     */
    @TearDown(Level.Iteration)
    public void printCpu() {
        if (received.get() != rounds * calls) {
            throw new IllegalStateException("the media loop read " + received.get() + " datagrams in " + rounds
                    + " rounds of " + calls);
        }
        long perRound = cpuNanos / Math.max(1, rounds);
        System.out.printf("  media loop CPU %.1f us a round, %d ns a call (%s, %d rounds, %.1f datagrams"
                + " a read burst)%n", perRound / 1000.0, perRound / calls, mode, rounds,
                received.get() / (double) Math.max(1, bursts.get()));
    }

    @Setup(Level.Trial)
    @SuppressWarnings("deprecation") // EPOLL_MODE: the gateway's level-triggered one-datagram read (RtpSession)
    public void setUp() throws Exception {
        mediaGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        peerGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoop mediaLoop = mediaGroup.next();
        mediaThreadId = mediaLoop.submit(() -> Thread.currentThread().threadId()).get();
        payload = Unpooled.directBuffer(PACKET).writeZero(PACKET);
        peers = new Channel[calls];
        peerAddresses = new InetSocketAddress[calls];
        for (int i = 0; i < calls; i++) {
            peers[i] = new Bootstrap().group(peerGroup).channel(EpollDatagramChannel.class)
                    .handler(new PeerHandler()).bind(LOOPBACK, 0).sync().channel();
            peerAddresses[i] = (InetSocketAddress) peers[i].localAddress();
        }
        webSockets = new Channel[calls];
        if (frameBytes > 0) {
            frame = Unpooled.directBuffer(frameBytes).writeZero(frameBytes);
            frameSink = new ServerBootstrap().group(peerGroup)
                    .channel(EpollServerSocketChannel.class)
                    .childHandler(new Discard()).bind(LOOPBACK, 0).sync().channel();
            for (int i = 0; i < calls; i++) {
                webSockets[i] = new Bootstrap().group(mediaLoop)
                        .channel(EpollSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true).handler(new Discard())
                        .connect(frameSink.localAddress()).sync().channel();
            }
        }
        if (mode.equals("perCall")) {
            media = new Channel[calls];
            for (int i = 0; i < calls; i++) {
                media[i] = new Bootstrap().group(mediaLoop).channel(EpollDatagramChannel.class)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048)
                                .maxMessagesPerRead(1))
                        .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
                        .handler(new EchoEach(i)).bind(LOOPBACK, 0).sync().channel();
            }
        } else {
            Map<InetSocketAddress, Integer> byPeer = new HashMap<>();
            for (int i = 0; i < calls; i++) {
                byPeer.put(peerAddresses[i], i);
            }
            media = new Channel[] {new Bootstrap().group(mediaLoop).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BATCH * 2048)
                            .maxMessagesPerRead(calls))
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(1 << 20, 2 << 20))
                    .option(ChannelOption.AUTO_READ, !mode.equals("sharedOnClock"))
                    .handler(new EchoBatched(byPeer)).bind(LOOPBACK, 0).sync().channel()};
            if (mode.equals("sharedOnClock")) {
                Channel shared = media[0];
                readClock = mediaLoop.scheduleAtFixedRate(shared::read, CLOCK_NANOS, CLOCK_NANOS,
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (readClock != null) {
            readClock.cancel(false);
        }
        for (Channel c : media) {
            c.close().sync();
        }
        for (Channel c : peers) {
            c.close().sync();
        }
        if (frameBytes > 0) {
            for (Channel c : webSockets) {
                c.close().sync();
            }
            frameSink.close().sync();
            frame.release();
        }
        payload.release();
        mediaGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        peerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** One 20 ms round of {@code calls} packets in and {@code calls} out. */
    @Benchmark
    public int round() {
        long before = threads.getThreadCpuTime(mediaThreadId);
        answered.set(0);
        parity ^= 1;
        EventLoop peerLoop = peerGroup.next();
        if (spread) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                int call = i;
                long due = start + ROUND_NANOS * i / calls;
                peerLoop.schedule(() -> callerSends(call), due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        } else {
            peerLoop.execute(() -> {
                for (int i = 0; i < calls; i++) {
                    callerSends(i);
                }
            });
        }
        while (answered.get() < calls) {
            LockSupport.parkNanos(20_000);
        }
        cpuNanos += threads.getThreadCpuTime(mediaThreadId) - before;
        rounds++;
        return answered.get();
    }

    /** Call {@code i}'s caller sends its packet of the round. */
    private void callerSends(int i) {
        InetSocketAddress to = (InetSocketAddress) media[media.length == 1 ? 0 : i].localAddress();
        peers[i].writeAndFlush(new DatagramPacket(payload.retainedDuplicate(), to), peers[i].voidPromise());
    }

    /** The callers: count the answers. */
    private final class PeerHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((DatagramPacket) msg).release();
            answered.incrementAndGet();
        }
    }

    /** Every other round, half the calls send their batch of caller audio on their own connection. */
    private void sendFrame(int call) {
        if (frameBytes > 0 && ((call + parity) & 1) == 0) {
            webSockets[call].writeAndFlush(frame.retainedDuplicate(), webSockets[call].voidPromise());
        }
    }

    /** Reads and drops whatever comes: the callers' side of the connections. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A socket per call: answer each packet at once, one send each. */
    private final class EchoEach extends ChannelInboundHandlerAdapter {
        private final int call;

        EchoEach(int call) {
            this.call = call;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket in = (DatagramPacket) msg;
            InetSocketAddress from = in.sender();
            in.release();
            received.incrementAndGet();
            ctx.writeAndFlush(new DatagramPacket(payload.retainedDuplicate(), from), ctx.voidPromise());
            sendFrame(call);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            bursts.incrementAndGet();
        }
    }

    /** One shared socket: find the call by source, queue the answer; flush them together once the read is done. */
    private final class EchoBatched extends ChannelInboundHandlerAdapter {
        private final Map<InetSocketAddress, Integer> byPeer;

        EchoBatched(Map<InetSocketAddress, Integer> byPeer) {
            this.byPeer = byPeer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket in = (DatagramPacket) msg;
            Integer call = byPeer.get(in.sender());
            in.release();
            received.incrementAndGet();
            if (call != null) {
                ctx.write(new DatagramPacket(payload.retainedDuplicate(), peerAddresses[call]), ctx.voidPromise());
                sendFrame(call);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            bursts.incrementAndGet();
            ctx.flush();
        }
    }
}
