package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.time.Scheduler;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keys sent to the caller as RFC 4733 telephone-events, read at a UDP socket the test owns: one event per key with
 * its own timestamp, the marker on its first packet, the E bit on its last three, volume 10, one packet per tick in
 * the stream's sequence; the agent's audio waits while they are sent and then goes on.
 */
class TelephoneEventSendTest {

    private static final int EVENT_PT = 101;
    private static final int KEY_MS = 60;
    /** 60 ms is 3 ticks of 20 ms; the third carries the first end packet, two more follow. */
    private static final int PACKETS_PER_KEY = 5;
    private static final int GAP_PACKETS = TelephoneEventSender.GAP_MS / 20;
    private static final byte ULAW_ZERO = (byte) 0xFF;

    /** One packet as it came off the wire. */
    private record Wire(boolean marker, int pt, int seq, long ts, byte[] payload) {
        static Wire of(DatagramPacket p) {
            byte[] b = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
            return new Wire((b[1] & 0x80) != 0, b[1] & 0x7F, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF),
                    ((b[4] & 0xFFL) << 24) | ((b[5] & 0xFFL) << 16) | ((b[6] & 0xFFL) << 8) | (b[7] & 0xFFL),
                    Arrays.copyOfRange(b, 12, b.length));
        }
    }

    @Test
    void keysGoOutAsRfc4733EventsBetweenTheAgentsAudioWhichWaits() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        short[] tone = Signals.sine(1000, 24_000, 8000, RtpPacketizer.FRAME_24K);
        List<Long> asked = new CopyOnWriteArrayList<>();
        List<String> sentKeys = new CopyOnWriteArrayList<>();
        MediaListener agent = new TestPackets.RecordingListener() {
            @Override
            public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
                asked.add(position);
                System.arraycopy(tone, 0, pcm24k, 0, length);
                return true;
            }

            @Override
            public void onDigitSent(char digit, long position, long durationSamples) {
                sentKeys.add(digit + " " + position + " " + durationSamples);
            }
        };
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            caller.setSoTimeout(5_000);
            EventLoop loop = group.next();
            RtpSession session = RtpSession.open(loop, loopback, 0, RtpStreamSpec.sendRecv(G711.PCMU, EVENT_PT,
                    (InetSocketAddress) caller.getLocalSocketAddress()), new PacingWheel(Scheduler.on(loop)), agent,
                    RtpSettings.DEFAULTS).get(5, TimeUnit.SECONDS);
            try {
                session.start(System.nanoTime());
                List<Wire> wire = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    wire.add(receive(caller));
                }
                assertTrue(loop.submit(() -> session.sendDigits("1#", KEY_MS)).get(5, TimeUnit.SECONDS));
                assertFalse(loop.submit(() -> session.sendDigits("X", KEY_MS)).get(5, TimeUnit.SECONDS),
                        "not a key");
                assertFalse(loop.submit(() -> session.sendDigits("1", 20)).get(5, TimeUnit.SECONDS),
                        "shorter than a receiver can detect");
                int total = 3 + 2 * (PACKETS_PER_KEY + GAP_PACKETS) + 5;
                while (wire.size() < total) {
                    wire.add(receive(caller));
                }
                // A loop stalled past the pacer's catch-up skips ticks: the RTP clock jumps where the test expects
                // one packet per tick. That is the box, not the sender.
                Assumptions.assumeTrue(loop.submit(session::ticksSkipped).get(5, TimeUnit.SECONDS) == 0,
                        "the loop stalled: ticks skipped");
                assertWire(wire);
                assertEquals(2, sentKeys.size(), sentKeys.toString());
                long firstKey = Long.parseLong(sentKeys.get(0).split(" ")[1]);
                long keysEnd = firstKey + 2L * (PACKETS_PER_KEY + GAP_PACKETS) * RtpPacketizer.FRAME_24K;
                assertEquals("1 " + firstKey + " " + KEY_MS * 24, sentKeys.get(0));
                assertEquals("# " + (firstKey + (PACKETS_PER_KEY + GAP_PACKETS) * RtpPacketizer.FRAME_24K) + " "
                        + KEY_MS * 24, sentKeys.get(1));
                assertTrue(asked.stream().noneMatch(p -> p >= firstKey && p < keysEnd),
                        "the agent's audio was not asked for while keys were sent: " + asked);
                assertTrue(asked.contains(keysEnd), "and was asked for at the next tick: " + asked);
            } finally {
                session.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Wire receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        socket.receive(p);
        return Wire.of(p);
    }

    /** Audio, key 1, silence, key #, silence, audio: one sequence, the audio's clock running under the keys. */
    private static void assertWire(List<Wire> wire) {
        int first = 0;
        while (wire.get(first).pt() != EVENT_PT) {
            assertEquals(0, wire.get(first).pt());
            first++;
        }
        assertTrue(first >= 3, "audio first");
        long audioTs = wire.get(first - 1).ts();
        for (int i = 1; i < wire.size(); i++) {
            assertEquals((wire.get(i - 1).seq() + 1) & 0xFFFF, wire.get(i).seq(), "packet " + i + " in sequence");
        }
        int at = first;
        for (int key : new int[] {1, 11}) {
            long eventTs = (audioTs + 160) & 0xFFFF_FFFFL;
            for (int k = 0; k < PACKETS_PER_KEY; k++) {
                Wire p = wire.get(at + k);
                int duration = Math.min(k + 1, 3) * 160;
                assertEquals(EVENT_PT, p.pt(), "key " + key + " packet " + k);
                assertEquals(k == 0, p.marker(), "marker on the first packet only");
                assertEquals(eventTs, p.ts(), "the event's timestamp on every packet: key " + key + " packet " + k);
                assertEquals(List.of(key, (k >= 2 ? 0x80 : 0) | 10, duration),
                        List.of(p.payload()[0] & 0xFF, p.payload()[1] & 0xFF,
                                ((p.payload()[2] & 0xFF) << 8) | (p.payload()[3] & 0xFF)),
                        "key " + key + " packet " + k);
                assertEquals(4, p.payload().length);
            }
            at += PACKETS_PER_KEY;
            for (int g = 0; g < GAP_PACKETS; g++) {
                Wire p = wire.get(at + g);
                assertEquals(0, p.pt(), "silence between keys");
                assertEquals((eventTs + 160L * (PACKETS_PER_KEY + g)) & 0xFFFF_FFFFL, p.ts(), "the clock ran on");
                byte[] silence = new byte[160];
                Arrays.fill(silence, ULAW_ZERO);
                assertTrue(Arrays.equals(silence, p.payload()), "mu-law silence");
            }
            at += GAP_PACKETS;
            audioTs = wire.get(at - 1).ts();
        }
        Wire resumed = wire.get(at);
        assertEquals(0, resumed.pt());
        assertEquals((audioTs + 160) & 0xFFFF_FFFFL, resumed.ts());
        assertTrue(resumed.marker(), "the agent's audio starts a talkspurt after the keys");
    }
}
