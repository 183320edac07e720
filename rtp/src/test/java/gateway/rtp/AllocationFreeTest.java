package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Allocations;
import gateway.testkit.ImpairedNetwork;
import gateway.testkit.Signals;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-packet audio paths, measured with the JVM's per-thread allocation counter. */
class AllocationFreeTest {

    private static final long TICK = Pacer.TICK_NANOS;

    private static final int ITERATIONS = 10_000;
    private static final int WARM_UPS = 3;
    private static final int MEASURED_RUNS = 3;
    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress NAT = new InetSocketAddress("198.51.100.7", 31000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10000);

    /** Bytes allocated by one run of {@code work} after warm-up: the least of the measured runs. */
    private static Allocations.Measurement allocatedBy(Runnable work) {
        return Allocations.leastOf(WARM_UPS, MEASURED_RUNS, work);
    }

    /**
     * A buffer outside Netty's leak detector: in paranoid mode (set for all tests) the detector records a stack
     * trace on every access, which would be measured instead of the code under test.
     */
    private static ByteBuf untracked(int capacity) {
        return Unpooled.wrappedBuffer(new byte[capacity]).clear();
    }

    /**
     * A direct buffer, as the transport delivers packets in, also outside the leak detector: its bulk reads go
     * through an NIO buffer, where a careless copy allocates a duplicate per call.
     */
    private static ByteBuf untrackedDirect(int capacity) {
        return new UnpooledByteBufAllocator(true, true).directBuffer(capacity);
    }

    /** A listener that counts the caller's 24 kHz samples into {@code delivered[0]} and has nothing to play. */
    private static MediaListener countingCallerAudio(long[] delivered) {
        return new MediaListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                delivered[0] += length;
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                return false;
            }

            @Override
            public void onMediaFault(Throwable error) {
                throw new AssertionError("media fault", error);
            }
        };
    }

    /** A sink with a remote that writes every packet into {@code buffer} and counts it in {@code sent[0]}. */
    private static PacketSink sinkInto(ByteBuf buffer, long[] sent) {
        return TestPackets.sinkInto(buffer, packet -> sent[0]++);
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void inboundDecodeAndUpsampleAllocateNothing(boolean direct) {
        long[] delivered = {0};
        MediaListener sink = countingCallerAudio(delivered);
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        ByteBuf packet = direct ? untrackedDirect(172) : untracked(172);
        byte[] payload = TestPackets.ulawTone(1000, 8000, 0, 160);
        int[] seq = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                packet.clear();
                RtpPacket.writeHeader(packet, false, 0, seq[0], 160L * seq[0], 7);
                packet.writeBytes(payload);
                inbound.onAudio(packet, 0, 172, G711.PCMU, seq[0] * Pacer.TICK_NANOS);
                seq[0]++;
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        packet.release();
        System.out.println("inbound path: " + allocated + " bytes allocated for " + ITERATIONS + " packets");
        assertEquals(runs * ITERATIONS * 480, delivered[0]);
        assertEquals(0, stats.packetsLost);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
    }

    @Test
    void inboundG722DecodeResampleAndConcealmentAllocateNothing() {
        long[] delivered = {0};
        MediaListener sink = countingCallerAudio(delivered);
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        ByteBuf packet = untracked(172);
        byte[] payload = new byte[160];
        new G722Encoder().encode(Signals.sine(1000, 16_000, 8000, 320), 0, 320, payload, 0);
        int[] seq = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                if (seq[0] % 10 == 5) {
                    seq[0]++; // lost: concealed at 16 kHz when its deadline passes
                }
                packet.clear();
                RtpPacket.writeHeader(packet, false, 9, seq[0], 160L * seq[0], 7);
                packet.writeBytes(payload);
                inbound.onAudio(packet, 0, 172, Wideband.G722, seq[0] * Pacer.TICK_NANOS);
                inbound.onTick(seq[0] * Pacer.TICK_NANOS + Pacer.TICK_NANOS / 2, 0);
                seq[0]++;
            }
        });
        long allocated = measured.bytes();
        packet.release();
        System.out.println("inbound G.722 path: " + allocated + " bytes allocated for " + ITERATIONS + " packets");
        assertTrue(stats.packetsLost > 0, "losses were concealed");
        assertTrue(delivered[0] >= measured.runs() * ITERATIONS * 480L, "delivered " + delivered[0]);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
    }

    /** G.711 (24 → 8 kHz, table) and G.722 (24 → 16 kHz, SB-ADPCM): the same 172-byte packet, nothing allocated. */
    @ParameterizedTest
    @ValueSource(strings = {"PCMA", "G722"})
    void outboundResampleEncodeAndHeaderWriteAllocateNothing(String codecName) {
        RtpCodec codec = RtpCodec.named(codecName);
        RtpPacketizer packetizer = new RtpPacketizer(codec, codec.payloadType(), 9, 0, 0);
        short[] frame = Signals.sine(1000, 24_000, 8000, 480);
        ByteBuf out = untracked(DatagramTransmitter.BUFFER_CAPACITY);
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                out.clear();
                packetizer.writePacket(frame, true, out);
            }
        });
        long allocated = measured.bytes();
        assertEquals(172, out.readableBytes());
        out.release();
        System.out.println("outbound " + codec + " path: " + allocated + " bytes allocated for " + ITERATIONS
                + " packets");
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
    }

    @Test
    void pacingFiftyCallsOnOneWheelAllocatesNothingPerTick() {
        ManualScheduler scheduler = new ManualScheduler(0);
        PacingWheel wheel = new PacingWheel(scheduler);
        long[] ticks = new long[1];
        Pacer.Ticks counter = new Pacer.Ticks() {
            @Override
            public void onTick(long position) {
                ticks[0]++;
            }

            @Override
            public void onSkipped(long count) {
                throw new AssertionError("no stall here");
            }

            @Override
            public void onEarly(long earlyNanos) {
            }

            @Override
            public void onFault(Throwable error) {
                throw new AssertionError("no fault here", error);
            }
        };
        for (int i = 0; i < 50; i++) {
            new Pacer(wheel, counter).start(i * 400_000L); // phases spread over the 20 slots
        }
        scheduler.advanceNanos(Pacer.TICK_NANOS);
        long periods = 1_000;
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int k = 0; k < periods; k++) {
                scheduler.advanceNanos(Pacer.TICK_NANOS / 2);
                wheel.runDue(scheduler.nanoTime()); // as an inbound packet does
                scheduler.advanceNanos(Pacer.TICK_NANOS / 2);
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        assertEquals(20, wheel.occupiedSlots());
        // The first 20 ms: each pacer once (pacer 0 at 0 and 20 ms); then one per pacer per 20 ms.
        assertEquals(51 + runs * 50 * periods, ticks[0]);
        System.out.println("pacing wheel: " + allocated + " bytes allocated for " + 50 * periods + " ticks");
        assertTrue(allocated < Allocations.BOUND_BYTES, "allocated " + allocated + " bytes");
    }

    @Test
    void receiveHandlerWithADynamicPayloadTypeAllocatesNothing() {
        ManualScheduler clock = new ManualScheduler(0);
        long[] delivered = {0};
        MediaListener sink = new TestPackets.RecordingListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                delivered[0] += length;
            }
        };
        RtpStats stats = new RtpStats();
        RtpStreamSpec spec = new RtpStreamSpec(G711.PCMA, 98, 101, true, true, SDP);
        RtpProblems problems = new RtpProblems("alloc", stats, sink, clock, System.getLogger("alloc"));
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        RtpReceiveHandler handler = new RtpReceiveHandler(spec, inbound,
                TestPackets.rtcpHandler(stats, inbound, problems, clock), new RemoteEndpoint(SDP),
                new ConnectedSource(true), stats, problems, new PacingWheel(clock));
        // A context of an embedded channel: the first packet latches, and no datagram socket is there to connect.
        ChannelHandlerContext context = new EmbeddedChannel(handler).pipeline().context(handler);
        ByteBuf content = untracked(172);
        DatagramPacket datagram = new DatagramPacket(content, LOCAL, NAT);
        byte[] payload = TestPackets.tone(G711.PCMA, 1000, 8000, 0, 160);
        byte[] event = {5, 10, 0, (byte) 160};
        int[] seq = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                boolean dtmf = i % 10 == 9; // a telephone-event now and then: recognised, counted, not decoded
                content.clear();
                if (dtmf) {
                    RtpPacket.writeHeader(content, false, 101, 0, 0, 8);
                    content.writeBytes(event);
                } else {
                    RtpPacket.writeHeader(content, false, 98, seq[0], 160L * seq[0], 7);
                    content.writeBytes(payload);
                    seq[0]++;
                }
                content.retain(); // the handler releases the datagram it reads; the test reuses it
                handler.channelRead(context, datagram);
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        content.release();
        System.out.println("receive handler: " + allocated + " bytes allocated for " + ITERATIONS + " packets");
        long audioPackets = runs * ITERATIONS * 9 / 10; // warm-up runs included
        assertEquals(runs * ITERATIONS - audioPackets, stats.packetsIgnored);
        assertEquals(audioPackets * 480, delivered[0]);
        assertEquals(0, stats.packetsLost);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
    }

    private static final SrtpMasterKey CALLER_KEY = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_80,
            TestPackets.filled(30, 0x5a));
    private static final SrtpMasterKey GATEWAY_KEY = SrtpMasterKey.of(SrtpSuite.AES_CM_128_HMAC_SHA1_32,
            TestPackets.filled(30, 0x3c));

    /** The RTP socket's receive pipeline as installed: RFC 7983 demultiplexing, SRTP, the receive handler. */
    @Test
    void srtpReceivePathUnprotectingBeforeTheReceiveHandlerAllocatesNothing() {
        ManualScheduler clock = new ManualScheduler(0);
        long[] delivered = {0};
        MediaListener sink = new TestPackets.RecordingListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                delivered[0] += length;
            }
        };
        RtpStats stats = new RtpStats();
        SrtpKeys keys = new SrtpKeys(CALLER_KEY, GATEWAY_KEY);
        RtpStreamSpec spec = new RtpStreamSpec(G711.PCMU, 0, 101, true, true, SDP, RtpStreamSpec.DEFAULT_PTIME_MS,
                false, null, keys);
        RtpProblems problems = new RtpProblems("alloc", stats, sink, clock, System.getLogger("alloc"));
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        SrtpHandler srtp = new SrtpHandler("alloc", keys, clock);
        EmbeddedChannel channel = new EmbeddedChannel(new DemultiplexHandler("alloc", clock), srtp,
                new RtpReceiveHandler(spec, inbound, TestPackets.rtcpHandler(stats, inbound, problems, clock),
                        new RemoteEndpoint(SDP), new ConnectedSource(true), stats, problems, new PacingWheel(clock)));
        // The caller's packets, protected beforehand (the sender side is measured on its own below).
        int packets = Allocations.maxRuns(WARM_UPS, MEASURED_RUNS) * ITERATIONS;
        byte[][] wire = new byte[packets][];
        SrtpSender caller = new SrtpSender(CALLER_KEY);
        byte[] payload = TestPackets.ulawTone(1000, 8000, 0, 160);
        for (int i = 0; i < packets; i++) {
            byte[] packet = java.util.Arrays.copyOf(TestPackets.rtp(0, i & 0xFFFF, 160L * i, 7, payload), 200);
            wire[i] = java.util.Arrays.copyOf(packet, caller.protect(packet, 172, 12));
        }
        ByteBuf content = untracked(200);
        DatagramPacket datagram = new DatagramPacket(content, LOCAL, NAT);
        int[] next = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                content.clear().writeBytes(wire[next[0]++]);
                content.retain(); // the receive handler releases the datagram it reads; the test reuses it
                channel.pipeline().fireChannelRead(datagram);
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        content.release();
        System.out.println("SRTP receive path: " + allocated + " bytes allocated for " + ITERATIONS + " packets");
        assertEquals(0, srtp.authFailures + srtp.replays + srtp.invalid);
        assertEquals(runs * ITERATIONS * 480, delivered[0]);
        assertEquals(0, stats.packetsLost);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
        assertFalse(channel.finish());
    }

    @Test
    void srtpSendPathProtectingOurPacketsAllocatesNothing() {
        ManualScheduler clock = new ManualScheduler(0);
        long[] sent = {0};
        ChannelOutboundHandlerAdapter socket = new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                DatagramPacket packet = (DatagramPacket) msg;
                if (packet.content().readableBytes() == 172 + 4) {
                    sent[0]++;
                }
                packet.release();
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(socket,
                new SrtpHandler("alloc", new SrtpKeys(CALLER_KEY, GATEWAY_KEY), clock));
        RtpPacketizer packetizer = new RtpPacketizer(G711.PCMU, 0, 9, 0, 0);
        short[] frame = Signals.sine(1000, 24_000, 8000, 480);
        ByteBuf buffer = untracked(DatagramTransmitter.BUFFER_CAPACITY);
        DatagramPacket envelope = new DatagramPacket(buffer, SDP);
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                buffer.clear();
                packetizer.writePacket(frame, false, buffer);
                buffer.retain(); // as the transmitter does: the socket releases what it wrote
                channel.write(envelope, channel.voidPromise());
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        buffer.release();
        System.out.println("SRTP send path: " + allocated + " bytes allocated for " + ITERATIONS + " packets");
        assertEquals(runs * ITERATIONS, sent[0]);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
        assertFalse(channel.finish());
    }

    @Test
    void tickPathSendingAndOnHoldAllocatesNothing() {
        ManualScheduler clock = new ManualScheduler(0);
        short[] tone = Signals.sine(1000, 24_000, 8000, RtpPacketizer.FRAME_24K);
        MediaListener player = new TestPackets.RecordingListener() {
            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                System.arraycopy(tone, 0, pcm24k, 0, length);
                return true;
            }
        };
        ByteBuf buffer = untracked(DatagramTransmitter.BUFFER_CAPACITY);
        long[] sent = {0};
        PacketSink sink = sinkInto(buffer, sent);
        RtpStats stats = new RtpStats();
        RtpProblems problems = new RtpProblems("alloc", stats, player, clock, System.getLogger("alloc"));
        OutboundAudioPath path = new OutboundAudioPath(player, new RtpPacketizer(G711.PCMA, 98, 9, 0, 0), sink,
                stats, problems);
        long[] position = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                path.sending(i % 20 < 10); // 200 ms sent, 200 ms on hold
                path.onTick(position[0]);
                position[0] += RtpPacketizer.FRAME_24K;
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        assertEquals(172, buffer.readableBytes());
        assertEquals((byte) 98, buffer.getByte(1)); // the last packet sent: mid-talkspurt, the negotiated type
        buffer.release();
        assertEquals(runs * ITERATIONS / 2, sent[0]);
        System.out.println("tick path: " + allocated + " bytes allocated for " + ITERATIONS + " ticks");
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " ticks");
    }

    @Test
    void inboundInMuLawModePassingTheCallersOctetsAndTranscodingALawAllocatesNothing() {
        long[] delivered = {0, 0};
        MediaListener sink = new MediaListener() {
            @Override
            public G711 agentLaw() {
                return G711.PCMU;
            }

            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                throw new AssertionError("the agent takes μ-law: the codes come with the audio");
            }

            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] codes,
                                      int codesOffset) {
                delivered[0] += length;
                delivered[1] += codes[codesOffset] != 0 ? 1 : 0;
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                return false;
            }

            @Override
            public void onMediaFault(Throwable error) {
                throw new AssertionError("media fault", error);
            }
        };
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        ByteBuf packet = untracked(172);
        byte[] ulaw = TestPackets.ulawTone(1000, 8000, 0, 160);
        int[] seq = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                G711 codec = i % 2 == 0 ? G711.PCMU : G711.PCMA; // straight, then transcoded
                packet.clear();
                RtpPacket.writeHeader(packet, false, codec.payloadType(), seq[0], 160L * seq[0], 7);
                packet.writeBytes(ulaw);
                inbound.onAudio(packet, 0, 172, codec, seq[0] * Pacer.TICK_NANOS);
                seq[0]++;
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        packet.release();
        System.out.println("inbound path, μ-law to the model: " + allocated + " bytes allocated for " + ITERATIONS
                + " packets");
        assertEquals(runs * ITERATIONS * 480, delivered[0]);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets");
    }

    @Test
    void tickPathSendingTheAgentsMuLawOctetsStraightAndTranscodedAllocatesNothing() {
        ManualScheduler clock = new ManualScheduler(0);
        short[] tone = Signals.sine(1000, 24_000, 8000, RtpPacketizer.FRAME_24K);
        byte[] ulaw = TestPackets.ulawTone(1000, 8000, 0, RtpPacketizer.FRAME_8K);
        MediaListener player = new TestPackets.RecordingListener() {
            @Override
            public G711 agentLaw() {
                return G711.PCMU;
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                System.arraycopy(tone, 0, pcm24k, 0, length);
                return true;
            }

            @Override
            public boolean playoutCodes(byte[] codes, int units) {
                System.arraycopy(ulaw, 0, codes, 0, units);
                return true;
            }
        };
        for (G711 codec : G711.values()) {
            ByteBuf buffer = untracked(DatagramTransmitter.BUFFER_CAPACITY);
            long[] sent = {0};
            RtpStats stats = new RtpStats();
            RtpProblems problems = new RtpProblems("alloc", stats, player, clock, System.getLogger("alloc"));
            OutboundAudioPath path = new OutboundAudioPath(player, new RtpPacketizer(codec, codec.payloadType(), 9,
                    0, 0), sinkInto(buffer, sent), stats, problems);
            long[] position = {0};
            Allocations.Measurement measured = allocatedBy(() -> {
                for (int i = 0; i < ITERATIONS; i++) {
                    path.onTick(position[0]);
                    position[0] += RtpPacketizer.FRAME_24K;
                }
            });
            long allocated = measured.bytes();
            assertEquals(172, buffer.readableBytes());
            byte expected = codec == G711.PCMU ? ulaw[0] : G711.PCMA.encode(G711.PCMU.decode(ulaw[0]));
            assertEquals(expected, buffer.getByte(RtpPacket.FIXED_HEADER_LENGTH), "the agent's octet, " + codec);
            buffer.release();
            assertEquals(measured.runs() * ITERATIONS, sent[0]);
            System.out.println("tick path, the agent's μ-law to a " + codec + " call: " + allocated
                    + " bytes allocated for " + ITERATIONS + " ticks");
            assertTrue(allocated < Allocations.BOUND_BYTES,
                    "allocated " + allocated + " bytes for " + ITERATIONS + " ticks");
        }
    }

    @Test
    void keyPressesReceivedAndSentAllocateNothing() {
        long[] keys = {0, 0};
        MediaListener counter = new MediaListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            }

            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                return false;
            }

            @Override
            public void onMediaFault(Throwable error) {
                throw new AssertionError("media fault", error);
            }

            @Override
            public void onCallerDigit(char digit, long position, long durationSamples) {
                keys[0]++;
            }

            @Override
            public void onDigitSent(char digit, long position, long durationSamples) {
                keys[1]++;
            }
        };
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(counter, stats);
        inbound.start(0);
        ByteBuf packet = untracked(16);
        ByteBuf buffer = untracked(DatagramTransmitter.BUFFER_CAPACITY);
        PacketSink sink = sinkInto(buffer, new long[1]);
        OutboundAudioPath outbound = new OutboundAudioPath(counter, new RtpPacketizer(G711.PCMU, 0, 9, 0, 0), sink,
                stats, new RtpProblems("alloc", stats, counter, new ManualScheduler(0), System.getLogger("alloc")));
        int[] n = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                // Received: one key every 6 packets (3 updates, the end 3 times), each a new event.
                int event = n[0] / 6;
                int k = n[0] % 6;
                packet.clear();
                RtpPacket.writeHeader(packet, k == 0, 101, n[0], 800L * event, 7);
                TelephoneEvent.write(packet, event % 16, k >= 2, 160 * Math.min(k + 1, 3));
                inbound.onEvent(packet, 0, packet.readableBytes(), n[0] * Pacer.TICK_NANOS);
                // Sent: a tick, with 16 keys of 40 ms queued again whenever the last is out.
                if (!outbound.keying()) {
                    outbound.sendDigits("0123456789*#ABCD", TelephoneEventSender.MIN_DURATION_MS, 101);
                }
                outbound.onTick(n[0] * (long) RtpPacketizer.FRAME_24K);
                n[0]++;
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        packet.release();
        buffer.release();
        System.out.println("key presses: " + allocated + " bytes allocated for " + ITERATIONS + " packets each way");
        assertEquals(runs * ITERATIONS / 6, keys[0], 1);
        assertEquals(runs * ITERATIONS / 8, keys[1], 1);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + ITERATIONS + " packets each way");
    }

    /**
     * The caller's stream through a bad network: the jitter buffer holding, reordering and dropping (late and
     * duplicate packets), loss concealment and its fades, the pacer's ticks playing what falls due. The buffer's
     * payload store and the loss log are allocated once, in the warm-up.
     */
    @Test
    void jitterBufferAndLossConcealmentAllocateNothingPerPacket() {
        long[] delivered = {0};
        MediaListener sink = new TestPackets.RecordingListener() {
            @Override
            public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
                delivered[0] += length;
            }
        };
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(sink, stats);
        inbound.start(0);
        int packets = 2_000;
        List<ImpairedNetwork.Delivery> schedule = ImpairedNetwork.schedule(
                new ImpairedNetwork.Impairment(11, 0.05, 2, 0.03, 0.05, 60_000_000L), packets, TICK, 0);
        ByteBuf packet = untracked(172);
        byte[] payload = TestPackets.ulawTone(300, 8000, 0, 160);
        int[] run = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            long base = (long) run[0]++ * packets;
            int next = 0;
            for (long tick = 0; tick < packets; tick++) {
                long now = (base + tick) * TICK;
                for (; next < schedule.size() && base * TICK + schedule.get(next).atNanos() <= now; next++) {
                    long i = base + schedule.get(next).index();
                    packet.clear();
                    RtpPacket.writeHeader(packet, false, 0, (int) i, 160 * i, 7);
                    packet.writeBytes(payload);
                    inbound.onAudio(packet, 0, 172, G711.PCMU, base * TICK + schedule.get(next).atNanos());
                }
                inbound.onTick(now, 0);
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        packet.release();
        System.out.println("jitter buffer and concealment: " + allocated + " bytes allocated for " + packets
                + " packets; " + stats.concealedUnits / 8 + " ms concealed, " + stats.packetsDroppedLate + " late, "
                + stats.packetsDuplicated + " duplicates over " + runs + " runs");
        assertTrue(stats.concealedUnits > 0 && stats.packetsDuplicated > 0 && stats.heldNanos > 0,
                "the network was bad enough to exercise every path");
        // Everything was delivered, concealed or not, but for the last few packets still on their way.
        assertTrue(delivered[0] >= (runs * packets - 5) * 480L, "the timeline was delivered whole: " + delivered[0]);
        assertTrue(allocated < Allocations.BOUND_BYTES,
                "allocated " + allocated + " bytes for " + packets + " packets");
    }

    /** RTCP both ways: the caller's compound packets read, our reports written, per packet. */
    @Test
    void rtcpReceivingAndSendingAllocateNothing() {
        rtcpBothWays(null, "rtcp");
    }

    /** SRTCP both ways (RFC 3711 §3.4): the caller's packets unprotected and read, ours written and protected. */
    @Test
    void srtcpUnprotectingAndProtectingAllocateNothing() {
        rtcpBothWays(new SrtpKeys(CALLER_KEY, GATEWAY_KEY), "srtcp");
    }

    /** Reports each way per iteration, as SRTCP with {@code keys} (null: plain RTCP). */
    private static void rtcpBothWays(SrtpKeys keys, String label) {
        ManualScheduler clock = new ManualScheduler(0);
        RtpStats stats = new RtpStats();
        InboundAudioPath inbound = new InboundAudioPath(new TestPackets.RecordingListener(), stats);
        inbound.start(0);
        ByteBuf audio = untracked(172);
        RtpPacket.writeHeader(audio, false, 0, 1, 160, 0x0CA1_1E55L);
        audio.writeBytes(new byte[160]);
        inbound.onAudio(audio, 0, 172, G711.PCMU, 0);                   // a caller's stream to report on
        ByteBuf buffer = untracked(DatagramTransmitter.BUFFER_CAPACITY);
        long[] sent = {0};
        PacketSink sink = sinkInto(buffer, sent);
        RtpPacketizer packetizer = new RtpPacketizer(G711.PCMU, 0, 0x5EED_0001L, 0, 0);
        RtcpSession rtcp = new RtcpSession(stats, inbound.statistics(), packetizer, sink,
                InstantSource.fixed(Instant.parse("2026-12-01T00:00:00Z")), 3);
        RtpProblems problems = new RtpProblems("alloc", stats, new TestPackets.RecordingListener(), clock,
                System.getLogger("alloc"));
        RtcpReceiveHandler handler = new RtcpReceiveHandler(rtcp, new RemoteEndpoint(NAT), stats, problems, clock);
        rtcp.secure(keys);
        rtcp.start(0);
        byte[] plain = RtcpPacketTest.SENDER_REPORT_AND_SDES;
        ByteBuf report = untracked(plain.length + SrtcpSender.INDEX_BYTES + SrtpCipher.SRTCP_TAG_BYTES);
        report.writeBytes(plain);
        SrtcpSender caller = keys == null ? null : new SrtcpSender(CALLER_KEY);
        byte[] protecting = new byte[report.capacity()];
        long[] now = {0};
        Allocations.Measurement measured = allocatedBy(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                stats.packetsSent++;                                     // an SR, with its sender info
                now[0] += RtcpSession.INTERVAL_NANOS * 2;                // a report due at every tick
                rtcp.onTick(now[0]);
                if (caller != null) {                                    // a new SRTCP index each time: no replay
                    System.arraycopy(plain, 0, protecting, 0, plain.length);
                    report.setBytes(0, protecting, 0, caller.protect(protecting, plain.length));
                    report.writerIndex(protecting.length);
                }
                handler.receive(report, 0, report.readableBytes(), NAT, now[0]);
            }
        });
        long allocated = measured.bytes();
        long runs = measured.runs();
        assertEquals(runs * ITERATIONS, sent[0]);
        assertEquals(runs * ITERATIONS, stats.rtcpReceived);
        assertEquals(RtcpPacket.SENDER_REPORT, RtcpPacket.packetType(buffer, 0));
        audio.release();
        buffer.release();
        report.release();
        assertEquals(0, rtcp.srtcpAuthFailures + rtcp.srtcpReplays + rtcp.srtcpInvalid);
        System.out.println(label + ": " + allocated + " bytes allocated for " + ITERATIONS + " reports each way");
        assertTrue(allocated < Allocations.BOUND_BYTES, "allocated " + allocated + " bytes");
    }
}
