package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's side of the stream, tick by tick, as the paths of one loop send it. */
class OutboundAudioPathTest {

    private static final int TICKS = 200;

    /** Plays a tone, silence every seventh tick, and (when it speaks G.711) the tone's own octets every other tick. */
    private static final class Player extends TestPackets.RecordingListener {
        final G711 law;
        final short[] tone;
        int tick;

        Player(G711 law, double frequency) {
            this.law = law;
            this.tone = Signals.sine(frequency, 24_000, 8000, TICKS * RtpPacketizer.FRAME_24K);
        }

        @Override
        public G711 agentLaw() {
            return law;
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            if (tick % 7 == 6) {
                return false;
            }
            System.arraycopy(tone, tick * length, pcm24k, 0, length);
            return true;
        }

        @Override
        public boolean playoutCodes(byte[] codes, int units) {
            for (int i = 0; i < units; i++) {
                codes[i] = law.encode(tone[(tick * units + i) * 3]);
            }
            return tick % 2 == 0;
        }
    }

    /** A path for {@code codec} whose packets go, as bytes, to {@code sent}; key presses queued at tick 0. */
    private static OutboundAudioPath path(RtpCodec codec, Player player, List<String> sent) {
        RtpStats stats = new RtpStats();
        ByteBuf buffer = Unpooled.wrappedBuffer(new byte[DatagramTransmitter.BUFFER_CAPACITY]).clear();
        PacketSink sink = TestPackets.sinkInto(buffer, packet -> sent.add(ByteBufUtil.hexDump(packet)));
        OutboundAudioPath path = new OutboundAudioPath(player, new RtpPacketizer(codec, codec.payloadType(), 9, 0, 0),
                sink, stats, new RtpProblems("test", stats, player, new ManualScheduler(0), System.getLogger("test")));
        path.sendDigits("1#", TelephoneEventSender.MIN_DURATION_MS, 101);
        return path;
    }

    /**
     * The paths of a loop share their scratch ({@link RtpScratch}): three (G.711 with the agent's octets in the same
     * law and in the other, G.722), with key presses and silence, ticked in turn on one thread, send exactly the
     * packets each sends alone.
     */
    @Test
    void pathsInterleavedOnOneThreadSendWhatEachSendsAlone() {
        RtpCodec[] codecs = {G711.PCMU, G711.PCMA, Wideband.G722};
        G711[] laws = {G711.PCMU, G711.PCMU, G711.PCMA};
        List<List<String>> alone = new ArrayList<>();
        for (int p = 0; p < codecs.length; p++) {
            Player player = new Player(laws[p], 500 + 300 * p);
            List<String> sent = new ArrayList<>();
            OutboundAudioPath path = path(codecs[p], player, sent);
            for (; player.tick < TICKS; player.tick++) {
                path.onTick((long) player.tick * RtpPacketizer.FRAME_24K);
            }
            assertEquals(TICKS, sent.size());
            assertEquals(2, player.keysSent.size());
            alone.add(sent);
        }
        Player[] players = new Player[codecs.length];
        List<List<String>> interleaved = new ArrayList<>();
        OutboundAudioPath[] paths = new OutboundAudioPath[codecs.length];
        for (int p = 0; p < codecs.length; p++) {
            players[p] = new Player(laws[p], 500 + 300 * p);
            interleaved.add(new ArrayList<>());
            paths[p] = path(codecs[p], players[p], interleaved.get(p));
        }
        for (int t = 0; t < TICKS; t++) {
            for (int p = 0; p < codecs.length; p++) {
                players[p].tick = t;
                paths[p].onTick((long) t * RtpPacketizer.FRAME_24K);
            }
        }
        for (int p = 0; p < codecs.length; p++) {
            assertTrue(alone.get(p).stream().distinct().count() > TICKS / 2, "path " + p + " sent audio");
            assertEquals(alone.get(p), interleaved.get(p), "path " + p);
        }
    }
}
