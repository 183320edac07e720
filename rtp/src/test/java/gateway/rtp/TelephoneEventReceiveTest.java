package gateway.rtp;

import static gateway.rtp.TestPackets.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caller's RFC 4733 key presses: one digit per event, whatever the retransmissions, losses and reordering. */
class TelephoneEventReceiveTest {

    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x0E05_384EL;
    private static final int EVENT_PT = 101;
    /** 24 kHz samples per ms. */
    private static final int SAMPLES_PER_MS = 24;

    private final RtpStats stats = new RtpStats();
    private final TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
    private final InboundAudioPath inbound = new InboundAudioPath(listener, stats);
    private final ByteBuf packet = Unpooled.buffer(512);

    @BeforeEach
    void start() {
        inbound.start(0);
    }

    @AfterEach
    void release() {
        packet.release();
    }

    /** An event packet: {@code payload} is the 4 bytes of RFC 4733 §2.3 in hex (event, E|R|volume, duration). */
    private void event(int seq, long ts, String payload, double atMs) {
        event(SSRC, seq, ts, payload, atMs);
    }

    private void event(long ssrc, int seq, long ts, String payload, double atMs) {
        packet.clear().writeBytes(rtp(EVENT_PT, seq, ts, ssrc, HexFormat.of().parseHex(payload)));
        inbound.onEvent(packet, 0, packet.readableBytes(), (long) (atMs * MS));
    }

    private void audio(int seq, long ts, byte[] payload, double atMs) {
        packet.clear().writeBytes(rtp(0, seq, ts, SSRC, payload));
        inbound.onAudio(packet, 0, packet.readableBytes(), G711.PCMU, (long) (atMs * MS));
    }

    /** SIPp's dtmf_2833_1.pcap, from 1000 ms on: key 1 held 280 ms, its end packet sent three times (same seq). */
    private void sippCaptureOfKey1() {
        for (int i = 0; i < 7; i++) {
            event(7984 + i, 13280, String.format("010a%04x", 320 * i), 1000 + 20 * i);
        }
        for (int i = 0; i < 3; i++) {
            event(7991, 13280, "018a08c0", 1140 + 0.04 * i);
        }
    }

    @Test
    void sippsCaptureIsOneKeyAtItsFirstPacketWithTheEndPacketsDuration() {
        sippCaptureOfKey1();
        assertEquals(List.of("1 " + 1000 * SAMPLES_PER_MS + " " + 280 * SAMPLES_PER_MS), listener.keys);
        assertEquals(List.of(), listener.audio, "events are never audio");
    }

    @Test
    void endPacketsRetransmittedWithNewSequenceNumbersAreStillOneKey() {
        event(10, 8000, "0b0a00a0", 0);
        event(11, 8000, "0b8a0140", 20);
        event(12, 8000, "0b8a0140", 40);
        event(13, 8000, "0b8a0140", 60);
        assertEquals(List.of("# 0 " + 40 * SAMPLES_PER_MS), listener.keys);
    }

    @Test
    void theSameKeyTwiceIsTwoEventsByTheirTimestamps() {
        event(10, 8000, "058a0320", 0);
        event(11, 8000, "058a0320", 20);
        event(12, 9600, "058a0320", 200);
        event(13, 9600, "058a0320", 220);
        assertEquals(List.of("5 0 " + 100 * SAMPLES_PER_MS, "5 " + 200 * SAMPLES_PER_MS + " " + 100 * SAMPLES_PER_MS),
                listener.keys);
    }

    @Test
    void aKeyWhoseEndPacketsWereAllLostEndsAQuarterSecondAfterItsLastPacket() {
        event(10, 8000, "090a00a0", 0);
        event(11, 8000, "090a0140", 20);
        event(12, 8000, "090a01e0", 40);
        inbound.onTick(40 * MS + TelephoneEventReceiver.END_TIMEOUT_NANOS - 1, 0);
        assertEquals(List.of(), listener.keys, "an update may still come");
        inbound.onTick(40 * MS + TelephoneEventReceiver.END_TIMEOUT_NANOS, 0);
        assertEquals(List.of("9 0 " + 60 * SAMPLES_PER_MS), listener.keys);
        inbound.onTick(2_000 * MS, 0);
        assertEquals(1, listener.keys.size(), "reported once");
    }

    @Test
    void aKeyWithoutEndIsReportedWhenTheNextStartsAndItsLatePacketsChangeNothing() {
        event(10, 8000, "020a00a0", 0);
        event(12, 8800, "030a00a0", 100);
        assertEquals(List.of("2 0 " + 20 * SAMPLES_PER_MS), listener.keys);
        event(11, 8000, "028a0320", 105);
        event(13, 8800, "038a0140", 120);
        assertEquals(List.of("2 0 " + 20 * SAMPLES_PER_MS, "3 " + 100 * SAMPLES_PER_MS + " " + 40 * SAMPLES_PER_MS),
                listener.keys, "the late end of key 2 is dropped");
    }

    @Test
    void aTimestampWrapIsANewerEventAndOtherEventsThanDtmfAreIgnored() {
        event(10, 0xFFFF_FF00L, "108a0320", 0);
        assertEquals(List.of(), listener.keys, "event 16 (flash) is not a key");
        event(11, 0x0000_0100L, "0d8a0320", 100);
        event(12, 0xFFFF_FF00L, "0c8a0320", 110);
        assertEquals(List.of("B " + 100 * SAMPLES_PER_MS + " " + 100 * SAMPLES_PER_MS), listener.keys,
                "a packet from before the wrap is older");
    }

    @Test
    void anotherSourcesEventIsItsOwnKeyAndAShortPayloadIsIgnored() {
        event(10, 8000, "018a0320", 0);
        event(0x1111L, 10, 8000, "018a0320", 10);
        event(11, 9000, "018a", 20);
        assertEquals(List.of("1 0 2400", "1 240 2400"), listener.keys);
    }

    @Test
    void keysBeforeTheAnswerAreDropped() {
        InboundAudioPath early = new InboundAudioPath(listener, stats);
        packet.clear().writeBytes(rtp(EVENT_PT, 1, 8000, SSRC, HexFormat.of().parseHex("018a0320")));
        early.onEvent(packet, 0, packet.readableBytes(), 0);
        assertEquals(List.of(), listener.keys);
    }

    @Test
    void eventsInTheAudioStreamTakeTheirPlaceAndAreNeverDecodedAsAudio() {
        byte[] tone = TestPackets.ulawTone(1000, 8000, 0, 160);
        for (int i = 0; i < 5; i++) {
            audio(100 + i, 8000 + 160L * i, tone, 20 * i);
        }
        // Key 8 for 100 ms from timestamp 8800: its payload bytes, read as mu-law, would be loud.
        for (int i = 0; i < 5; i++) {
            event(105 + i, 8800, String.format("08%s%04x", i == 4 ? "8a" : "0a", 160 * (i + 1)), 100 + 20 * i);
        }
        for (int i = 0; i < 5; i++) {
            audio(110 + i, 9600 + 160L * i, tone, 200 + 20 * i);
        }
        assertEquals(List.of("8 " + 100 * SAMPLES_PER_MS + " " + 100 * SAMPLES_PER_MS), listener.keys);
        long position = 0;
        for (TestPackets.Audio a : listener.audio) {
            assertEquals(position, a.position(), "no gap and no overlap");
            for (int i = 0; i < a.samples().length; i++) {
                long at = a.position() + i;
                if (at >= 110 * SAMPLES_PER_MS && at < 200 * SAMPLES_PER_MS) {
                    assertEquals(0, a.samples()[i], "silence where the key was, at sample " + at);
                }
            }
            position += a.samples().length;
        }
        assertTrue(position >= 290 * SAMPLES_PER_MS, "the audio after the key was delivered: " + position);
        assertEquals(0, stats.concealedUnits, "the events' sequence numbers are not losses");
    }
}
