package gateway.rtp;

import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.ImpairedNetwork;
import gateway.testkit.Signals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caller's stream through the jitter buffer, with arrival times set by the test: packets in order go straight
 * through; a reordered one is waited for and put back in place; a missing one is concealed when its wait is over
 * (on a packet or a tick); the wait adapts to the jitter; sequence numbers and timestamps roll over; comfort noise
 * plays between talkspurts; telephone-events take their place without audio.
 */
class InboundAudioPathTest {

    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x0CA1_1E55L;
    private static final int FRAME = 160;

    private final RtpStats stats = new RtpStats();
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private final InboundAudioPath inbound = new InboundAudioPath(listener, stats);
    private final ByteBuf packet = Unpooled.buffer(512);
    private int firstSequence;
    private long firstTimestamp;

    @AfterEach
    void release() {
        packet.release();
    }

    /** Packet {@code i} of the stream (a 1 kHz tone), arriving at {@code atMs}. */
    private void arrive(int i, double atMs) {
        arrive(i, atMs, TestPackets.ulawTone(1000, 8000, i * FRAME, FRAME));
    }

    private void arrive(int i, double atMs, byte[] payload) {
        arrive(i, i, atMs, payload);
    }

    /** Packet number {@code n} in sequence, with the timestamp of frame {@code frame}. */
    private void arrive(int n, int frame, double atMs, byte[] payload) {
        packet.clear().writeBytes(rtp(0, (firstSequence + n) & 0xFFFF, (firstTimestamp + (long) frame * FRAME)
                & 0xFFFF_FFFFL, SSRC, payload));
        inbound.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, (long) (atMs * MS));
    }

    /**
     * A delay spike every 8 packets, 35 ms falling by 5 ms a packet: late, but never out of order. After a few, the
     * buffer waits 36 ms for a missing packet.
     */
    private static int spike(int i) {
        int k = i % 8;
        return k == 0 ? 0 : 40 - 5 * k;
    }

    private void warmUp(int packets) {
        for (int i = 0; i < packets; i++) {
            arrive(i, i * 20 + spike(i));
        }
        assertEquals(36 * MS, inbound.depthNanos());
        assertEquals(0, stats.concealedUnits);
    }

    private long[] positions() {
        return listener.audio.stream().mapToLong(TestPackets.Audio::position).toArray();
    }

    private short[] delivered() {
        return Signals.concat(listener.audio.stream().map(TestPackets.Audio::samples).toArray(short[][]::new));
    }

    /** Everything a path hands its listener, as text: audio at its positions, its codes, its narrowband audio. */
    private static final class Transcript implements MediaListener {
        final G711 law;
        final List<String> lines = new ArrayList<>();

        Transcript(G711 law) {
            this.law = law;
        }

        @Override
        public G711 agentLaw() {
            return law;
        }

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            lines.add(position + " " + Arrays.toString(Arrays.copyOfRange(pcm24k, offset, offset + length)));
        }

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] codes,
                                  int codesOffset) {
            onCallerAudio(pcm24k, offset, length, position);
            lines.add(Arrays.toString(Arrays.copyOfRange(codes, codesOffset, codesOffset + length / 3)));
        }

        @Override
        public void onCallerNarrowband(short[] pcm8k, int units, G711 octetLaw, byte[] octets) {
            lines.add(Arrays.toString(Arrays.copyOf(pcm8k, units)) + " " + octetLaw
                    + (octetLaw == null ? "" : Arrays.toString(Arrays.copyOf(octets, units))));
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            return false;
        }

        @Override
        public void onMediaFault(Throwable error) {
            throw new AssertionError("media fault", error);
        }
    }

    private static final int STREAM_PACKETS = 120;

    /**
     * A caller's stream of 20 ms packets of a tone, packet i at index i: one in 11 lost, and a comfort-noise packet
     * at 60 followed by a pause of 200 ms.
     */
    private static byte[][] stream(RtpCodec codec, int ssrc) {
        byte[][] packets = new byte[STREAM_PACKETS][];
        G722Encoder g722 = new G722Encoder();
        for (int i = 0; i < STREAM_PACKETS; i++) {
            byte[] payload = new byte[FRAME];
            if (codec instanceof G711 law) {
                payload = TestPackets.tone(law, 300 + 200 * ssrc, 8000, i * FRAME, FRAME);
            } else {
                g722.encode(Signals.sine(300 + 200 * ssrc, 16_000, 8000, 2L * i * FRAME, 2 * FRAME), 0, 2 * FRAME,
                        payload, 0);
            }
            if (i == 60) {
                packets[i] = rtp(ComfortNoise.PAYLOAD_TYPE, i, (long) i * FRAME, ssrc, new byte[] {50});
            } else if (i % 11 != 5 && (i < 60 || i >= 70)) {
                packets[i] = rtp(codec.payloadType(), i, (long) i * FRAME, ssrc, payload);
            }
        }
        return packets;
    }

    /** Step {@code i} of a stream: its packet arrives (one in 13 swapped with the next), then a tick 10 ms on. */
    private static void step(InboundAudioPath path, RtpCodec codec, byte[][] packets, int i) {
        int k = i % 13 == 7 ? i + 1 : i % 13 == 8 ? i - 1 : i;
        if (packets[k] != null) {
            ByteBuf buf = Unpooled.wrappedBuffer(packets[k]);
            if (RtpPacket.payloadType(RtpPacket.head(buf, 0)) == ComfortNoise.PAYLOAD_TYPE) {
                path.onComfortNoise(buf, 0, buf.readableBytes(), i * 20 * MS);
            } else {
                path.onAudio(buf, 0, buf.readableBytes(), codec, i * 20 * MS);
            }
            buf.release();
        }
        path.onTick((i * 20 + 10) * MS, 0);
    }

    /**
     * The paths of a loop share their scratch ({@link RtpScratch}): three callers' streams (G.711 to an agent in the
     * same law, G.722 to an agent in G.711, G.711 to an agent in PCM) with losses, reordering and comfort noise, fed
     * packet by packet in turn on one thread, deliver exactly what each delivers alone.
     */
    @Test
    void pathsInterleavedOnOneThreadDeliverWhatEachDeliversAlone() {
        RtpCodec[] codecs = {G711.PCMU, Wideband.G722, G711.PCMA};
        G711[] laws = {G711.PCMU, G711.PCMA, null};
        byte[][][] packets = new byte[codecs.length][][];
        List<List<String>> alone = new ArrayList<>();
        for (int s = 0; s < codecs.length; s++) {
            packets[s] = stream(codecs[s], s);
            Transcript transcript = new Transcript(laws[s]);
            RtpStats own = new RtpStats();
            InboundAudioPath path = new InboundAudioPath(transcript, own);
            path.start(0);
            for (int i = 0; i < STREAM_PACKETS; i++) {
                step(path, codecs[s], packets[s], i);
            }
            assertTrue(own.concealedUnits > 0, "stream " + s + " had losses concealed");
            alone.add(transcript.lines);
        }
        Transcript[] transcripts = new Transcript[codecs.length];
        InboundAudioPath[] paths = new InboundAudioPath[codecs.length];
        for (int s = 0; s < codecs.length; s++) {
            transcripts[s] = new Transcript(laws[s]);
            paths[s] = new InboundAudioPath(transcripts[s], new RtpStats());
            paths[s].start(0);
        }
        for (int i = 0; i < STREAM_PACKETS; i++) {
            for (int s = 0; s < codecs.length; s++) {
                step(paths[s], codecs[s], packets[s], i);
            }
        }
        for (int s = 0; s < codecs.length; s++) {
            assertTrue(alone.get(s).size() > STREAM_PACKETS, "stream " + s + " was delivered");
            assertEquals(alone.get(s), transcripts[s].lines, "stream " + s);
        }
    }

    @Test
    void packetsInOrderGoStraightThroughEvenWhenTheyAreLate() {
        inbound.start(0);
        for (int i = 0; i < 50; i++) {
            int before = listener.audio.size();
            arrive(i, i * 20 + (i % 3) * 7);               // up to 14 ms late, never out of order
            assertEquals(before + 1, listener.audio.size(), "packet " + i + " was delivered as it arrived");
        }
        assertEquals(0, stats.heldNanos);
        assertEquals(0, stats.concealedUnits);
        assertEquals(49 * 480, positions()[49]);
    }

    /**
     * A CSRC, a header extension and padding (RFC 3550 §5.1, §5.3.1: P set, the count in the last octet) are not
     * audio: the same stream with all three is heard sample for sample as it is without them.
     */
    @Test
    void csrcsAnExtensionAndPaddingAreNotHeard() {
        inbound.start(0);
        TestPackets.RecordingListener paddedListener = new TestPackets.RecordingListener();
        InboundAudioPath padded = new InboundAudioPath(paddedListener, new RtpStats());
        padded.start(0);
        for (int i = 0; i < 6; i++) {
            arrive(i, i * 20);
            byte[] plain = ByteBufUtil.getBytes(packet);
            packet.clear()
                    .writeByte(0x80 | 0x20 | 0x10 | 1)                          // V=2, P, X, CC=1
                    .writeBytes(plain, 1, RtpPacket.FIXED_HEADER_LENGTH - 1)
                    .writeInt(0x01020304)                                      // CSRC
                    .writeShort(0xBEDE).writeShort(1).writeInt(0xAABBCCDD)     // extension, one word
                    .writeBytes(plain, RtpPacket.FIXED_HEADER_LENGTH, plain.length - RtpPacket.FIXED_HEADER_LENGTH)
                    .writeByte(0x55).writeByte(0x55).writeByte(3);             // padding, count 3
            padded.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, i * 20 * MS);
        }
        short[] heard = Signals.concat(paddedListener.audio.stream().map(TestPackets.Audio::samples)
                .toArray(short[][]::new));
        assertEquals(6 * 3 * FRAME, heard.length);
        assertArrayEquals(delivered(), heard);
    }

    /**
     * Each piece comes with the 8 kHz audio it was taken up from: the caller's own octets and their law when it is
     * their decoding, no law for concealment; a fresh up-sampler fed those pieces gives what was delivered.
     */
    @Test
    void everyPieceComesWithTheNarrowbandAudioItWasTakenUpFrom() {
        listener.keepNarrowband = true;
        inbound.start(0);
        for (int i = 0; i < 30; i++) {
            if (i != 10 && i != 11) {
                arrive(i, i * 20);
            }
            inbound.onTick((i * 20 + 1) * MS, 0);
        }
        assertTrue(stats.concealedUnits > 0);
        Upsampler8kTo24k fresh = new Upsampler8kTo24k();
        short[][] rebuilt = new short[listener.narrowband.size()][];
        int straight = 0;
        for (int k = 0; k < rebuilt.length; k++) {
            TestPackets.Narrowband piece = listener.narrowband.get(k);
            rebuilt[k] = new short[piece.pcm8k().length * 3];
            fresh.process(piece.pcm8k(), 0, piece.pcm8k().length, rebuilt[k], 0);
            if (piece.law() != null) {
                straight++;
                assertEquals(G711.PCMU, piece.law());
                for (int i = 0; i < piece.octets().length; i++) {
                    assertEquals(G711.PCMU.decode(piece.octets()[i]), piece.pcm8k()[i], "piece " + k);
                }
            }
        }
        assertTrue(straight > 0 && straight < rebuilt.length, straight + " of " + rebuilt.length + " straight");
        assertArrayEquals(delivered(), Signals.concat(rebuilt));
    }

    @Test
    void aBurstAfterAStallIsPlacedByItsTimestampsAndDeliveredWhole() {
        inbound.start(0);
        for (int i = 0; i < 10; i++) {
            arrive(i, i * 20);
        }
        for (int i = 10; i < 35; i++) {
            arrive(i, 700);                              // held up 500 ms (our loop stalled), then all at once
        }
        for (int i = 35; i < 200; i++) {
            arrive(i, i * 20);                           // on time again
        }
        assertEquals(0, stats.streamRestarts, "a late stream is no new stream");
        assertEquals(0, stats.concealedUnits, "nothing concealed: every packet came");
        assertEquals(0, stats.packetsDroppedLate);
        long[] positions = positions();
        assertEquals(200, positions.length, "every packet delivered once");
        for (int k = 0; k < positions.length; k++) {
            assertEquals(k * 480L, positions[k], "placed by its timestamp, no gap inserted, at " + k);
        }
    }

    /**
     * The call's loop stalls for 500 ms: the caller's packets wait in the socket while the clock runs on. When the
     * loop resumes, a catch-up tick (499 ms late) runs before the 25 waiting packets are read in one burst; every one
     * reaches the listener in its place, nothing is concealed or dropped as late, and the placement is not restarted.
     */
    @Test
    void aLoopStallWithATickBeforeTheWaitingPacketsLosesNone() {
        inbound.start(0);
        for (int i = 0; i < 10; i++) {
            arrive(i, i * 20);
            inbound.onTick((i * 20 + 1) * MS, 0);          // on time
        }
        inbound.onTick(700 * MS, 499 * MS);                // the loop resumes: a tick due at 201 ms runs first
        for (int i = 10; i < 35; i++) {
            arrive(i, 700 + (i - 10) * 0.01);              // then the packets that waited, back to back
        }
        for (int i = 35; i < 60; i++) {
            arrive(i, i * 20);
            inbound.onTick((i * 20 + 1) * MS, 0);
        }
        long[] expected = new long[60];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 480L;
        }
        assertArrayEquals(expected, positions(), "every packet in its place, once");
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsDroppedLate);
        assertEquals(0, stats.streamRestarts);
        assertEquals(0, inbound.lossEvents());
    }

    /**
     * As above, with a packet held when the loop stalls: 41 came before 40, and 40 arrives within its wait (36 ms)
     * but while the loop is stalled. The late catch-up tick must not conceal 40; read after it, 40 plays in place.
     */
    @Test
    void aLateTickAfterAStallDoesNotConcealAPacketWaitingInTheSocket() {
        inbound.start(0);
        warmUp(40);
        arrive(41, 41 * 20);                               // 40 is not there yet: 41 waits for it
        inbound.onTick(1320 * MS, 499 * MS);               // the loop resumes: a tick due at 821 ms runs first
        arrive(40, 1320);                                  // then the packets that waited, back to back
        for (int i = 42; i < 65; i++) {
            arrive(i, 1320 + (i - 40) * 0.01);
        }
        for (int i = 65; i < 90; i++) {
            arrive(i, i * 20);
            inbound.onTick((i * 20 + 1) * MS, 0);
        }
        long[] expected = new long[90];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 480L;
        }
        assertArrayEquals(expected, positions(), "every packet in its place, once");
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsDroppedLate);
        assertEquals(0, stats.streamRestarts);
        assertEquals(0, inbound.lossEvents());
    }

    @Test
    void aLateStreamWhoseTimestampsDoNotFollowOnStillRestartsThePlacement() {
        inbound.start(0);
        for (int i = 0; i < 10; i++) {
            arrive(i, i * 20);
        }
        arrive(10, 9, 700, TestPackets.ulawTone(1000, 8000, 9 * FRAME, FRAME)); // 500 ms late, its clock stood still
        assertEquals(1, stats.streamRestarts);
    }

    @Test
    void aPacketBehindItsSuccessorIsWaitedForAndPutBackInPlace() {
        inbound.start(0);
        warmUp(40);
        int before = listener.audio.size();
        long heldBefore = stats.heldNanos;
        arrive(41, 41 * 20);                              // 40 is not there yet: 41 waits
        assertEquals(before, listener.audio.size());
        arrive(40, 40 * 20 + 30);                         // within the wait: both, in order
        assertEquals(before + 2, listener.audio.size());
        long[] positions = positions();
        for (int i = 0; i < positions.length; i++) {
            assertEquals(i * 480L, positions[i]);
        }
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsDroppedLate);
        assertEquals(10 * MS, stats.heldNanos - heldBefore); // 41 waited 10 ms for 40, 40 none
    }

    @Test
    void aMissingPacketIsConcealedByATickOnceItsWaitIsOverAndComesTooLateAfterThat() {
        inbound.start(0);
        warmUp(40);
        long depth = inbound.depthNanos();
        arrive(41, 41 * 20);
        int before = listener.audio.size();
        inbound.onTick(40 * 20 * MS + depth - MS, 0);     // 40's wait is not over
        assertEquals(before, listener.audio.size());
        inbound.onTick(40 * 20 * MS + depth, 0);          // over: 40 concealed, 41 played after it
        assertEquals(before + 2, listener.audio.size());
        assertEquals(40 * 480L, positions()[before]);
        assertEquals(41 * 480L, positions()[before + 1]);
        assertEquals(FRAME, stats.concealedUnits);
        arrive(40, 40 * 20 + 40);
        assertEquals(1, stats.packetsDroppedLate);
        assertEquals(before + 2, listener.audio.size());
    }

    @Test
    void theWaitFollowsTheJitterAndStaysAtAMillisecondOnACleanNetwork() {
        assertEquals(1 * MS, depthAfter(0));
        long at20 = depthAfter(20 * MS);
        long at60 = depthAfter(60 * MS);
        assertTrue(at20 >= 17 * MS && at20 <= 21 * MS, "20 ms of jitter: " + at20);
        assertTrue(at60 >= 54 * MS && at60 <= 61 * MS, "60 ms of jitter: " + at60);
        assertEquals(PlayoutDelay.MAX_DEPTH_NANOS, depthAfter(400 * MS));
    }

    private long depthAfter(long jitter) {
        InboundAudioPath path = new InboundAudioPath(new TestPackets.RecordingListener(), new RtpStats());
        path.start(0);
        for (ImpairedNetwork.Delivery d : ImpairedNetwork.schedule(ImpairedNetwork.Impairment.jitter(7, jitter), 500,
                20 * MS, 0)) {
            packet.clear().writeBytes(rtp(0, d.index(), d.index() * FRAME, SSRC, new byte[FRAME]));
            path.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, d.atNanos());
        }
        return path.depthNanos();
    }

    /**
     * The recorder takes what lies before the end of each piece as final (see {@link MediaListener#onCallerAudio}):
     * through loss, reordering, duplicates and jitter, a new SSRC, a timestamp jump past the gap fill and one back
     * past the drift limit, with the pacer's ticks in between, every piece starts at or after the end of the last.
     */
    @Test
    void positionsOnlyGoForwardWhateverTheNetworkAndTheSenderDo() {
        for (long seed = 1; seed <= 20; seed++) {
            TestPackets.RecordingListener heard = new TestPackets.RecordingListener();
            RtpStats counted = new RtpStats();
            InboundAudioPath path = new InboundAudioPath(heard, counted);
            path.start(0);
            List<ImpairedNetwork.Delivery> arrivals = ImpairedNetwork.schedule(
                    new ImpairedNetwork.Impairment(seed, 0.05, 2, 0.02, 0.05, 60 * MS), 1500, 20 * MS, 5 * MS);
            long nextTick = MS;
            for (ImpairedNetwork.Delivery d : arrivals) {
                for (; nextTick <= d.atNanos(); nextTick += 20 * MS) {
                    path.onTick(nextTick, 0);
                }
                int i = d.index();
                long ssrc = i < 500 ? SSRC : SSRC + 1;          // a new stream from packet 500
                int sequence = i < 500 ? i : 9_000 + i;
                long timestamp = i < 500 ? (long) i * FRAME : 777_000L + (long) i * FRAME;
                if (i >= 900) {
                    timestamp += 2 * 8000;                          // 2 s ahead: past the gap fill
                }
                if (i >= 1200) {
                    timestamp -= 3 * 8000;                          // then 1 s back: past the drift limit
                }
                packet.clear().writeBytes(rtp(0, sequence, timestamp & 0xFFFF_FFFFL, ssrc,
                        TestPackets.ulawTone(1000, 8000, i * FRAME, FRAME)));
                path.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, d.atNanos());
            }
            path.onTick(nextTick + 2_000 * MS, 0);
            long end = Long.MIN_VALUE;
            for (TestPackets.Audio piece : heard.audio) {
                assertTrue(piece.position() >= end, "seed " + seed + ": a piece at " + piece.position()
                        + " starts before the end of the last, " + end);
                end = piece.position() + piece.samples().length;
            }
            assertTrue(heard.audio.size() > 1400, "seed " + seed + ": " + heard.audio.size() + " pieces");
            assertTrue(counted.streamRestarts >= 2, "seed " + seed + ": the new SSRC and the jump back restart");
            assertTrue(counted.concealedUnits > 0, "seed " + seed + ": losses were concealed");
        }
    }

    @Test
    void orderIsRestoredAcrossTheRolloverOfSequenceNumbersAndTimestamps() {
        firstSequence = 65_500;                            // packet 36 has sequence number 0
        firstTimestamp = 0x1_0000_0000L - 36 * FRAME;      // and timestamp 0
        inbound.start(0);
        warmUp(34);
        arrive(34, 34 * 20);                               // sequence 65534
        arrive(36, 36 * 20 + 2);                           // 0, timestamp 0: before 65535
        arrive(35, 35 * 20 + 30);                          // 65535, within its wait
        arrive(37, 37 * 20);                               // 1
        arrive(38, 38 * 20);
        long[] expected = new long[39];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 480L;
        }
        assertArrayEquals(expected, positions());
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsLost);
        short[] audio = delivered();
        assertEquals(8000, Signals.fit(audio, 480, audio.length, 1000, 24_000)[0], 400); // one tone, in order
        assertTrue(Signals.residualRms(audio, 480, audio.length, 1000, 24_000) < 250);
    }

    @Test
    void comfortNoisePlaysAtItsLevelBetweenTalkspurtsAndSpeechResumesInPlace() {
        inbound.start(0);
        for (int i = 0; i < 10; i++) {
            arrive(i, i * 20);
        }
        // RFC 3389: the silence starts at packet 10's timestamp; noise at −50 dBov until audio resumes.
        packet.clear().writeBytes(rtp(ComfortNoise.PAYLOAD_TYPE, 10, 10 * FRAME, SSRC, new byte[] {50}));
        inbound.onComfortNoise(packet, 0, packet.readableBytes(), 200 * MS);
        for (long t = 200; t <= 1200; t += 20) {
            inbound.onTick(t * MS, 0);                     // the pacer's ticks keep the noise going
        }
        short[] noise = delivered();
        int noiseFrom = 10 * 480 + 960;                   // past the filter's ramp from the tone
        int noiseTo = noise.length;
        assertTrue(noiseTo >= 10 * 480 + 23_000, "a second of noise was delivered by the ticks: " + noiseTo);
        assertEquals(-50, 20 * Math.log10(Signals.rms(noise, noiseFrom, noiseTo) / 32767), 1.5);
        // Speech resumes at 1.2 s (the next sequence number, timestamp 60 frames in): in its place, after the noise.
        arrive(11, 60, 1200, TestPackets.ulawTone(1000, 8000, 60 * FRAME, FRAME));
        long[] positions = positions();
        assertEquals(60 * 480L, positions[positions.length - 1]);
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsLost);
    }

    @Test
    void telephoneEventsTakeTheirPlaceInTheSequenceWithoutAudioOrConcealment() {
        inbound.start(0);
        arrive(0, 0);
        for (int e = 1; e <= 3; e++) {                    // RFC 4733: one event, its start timestamp repeated
            packet.clear().writeBytes(rtp(101, e, FRAME, SSRC, new byte[] {5, 10, 0, (byte) (e * 160)}));
            inbound.onEvent(packet, 0, packet.readableBytes(), e * 20 * MS);
        }
        arrive(4, 80);
        assertArrayEquals(new long[] {0, 480, 4 * 480}, positions()); // the event's time: silence, not a loss
        short[] between = listener.audio.get(1).samples();
        assertEquals(1440, between.length);
        for (int i = 3 * ResamplingFilter.TAPS_PER_PHASE; i < between.length; i++) {
            assertEquals(0, between[i], "sample " + i); // after the filter's ring-out of the tone
        }
        assertEquals(0, stats.concealedUnits);
        assertEquals(0, stats.packetsLost);
    }
}
