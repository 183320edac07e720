package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.rtp.G711;
import gateway.testkit.PortRefusal;
import gateway.testkit.Signals;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the caller's RTP has latched, the gateway's RTP socket hears nobody else (README "Whose RTP is heard"): a
 * third party that sends a loud tone to the call's port mid-call is refused by the kernel (its connected socket gets
 * the ICMP port unreachable back), and the recording's caller channel holds the caller's speech and then nothing.
 */
@Tag("e2e")
class StrictSourceIT {

    private static final int RTP_MIN = 44_200;
    private static final int PCMU = 0;
    /** G.711 mu-law encodes 0 as 0xFF (ITU-T G.711 Table 2a). */
    private static final byte ULAW_ZERO = (byte) 0xFF;
    /** The short fixture's speech and 0.7 s of its digital silence; the stream goes on silent. */
    private static final int SEND_BYTES = 2_500 * 8;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    /** One second of a 1 kHz tone at about -6 dBFS, which would be plain to see in the caller channel. */
    private static final int TONE_PACKETS = 50;
    private static final double SPEECH_SCORE = 0.8;
    /** After the speech's last sample: the resampler's ring-out and a concealed packet, generously. */
    private static final int TAIL_SAMPLES = RecordedCall.SAMPLE_RATE / 10;

    @TempDir
    Path recordings;

    @Test
    void anotherSourceIsRefusedOnceTheCallerHasLatched() throws Exception {
        Sipp.Result sipp;
        RecordedCall call;
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings);
             RtpPeer caller = RtpPeer.open();
             DatagramSocket intruder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Sipp.Running running = Sipp.scenario("uac_test_media.xml")
                    .args("-key", "rtp_port", String.valueOf(caller.port()))
                    .start(gw.sipPort(), "strict-source");
            RtpPeer.Packet first = caller.awaitFirst(STEP_WITHIN);
            byte[] speech = Arrays.copyOf(Speech.bytes("speech_short.ulaw"), SEND_BYTES);
            try (RtpPeer.Stream talk = caller.stream(first.source(), PCMU, ULAW_ZERO)) {
                talk.say(speech).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                // The reply to the caller's speech has played: its RTP was heard, so it has latched long before.
                LiveRecording.of(recordings, STEP_WITHIN).awaitEchoPlayed(0, STEP_WITHIN);
                intruder.connect(first.source());
                boolean refused = false;
                for (int i = 0; i < TONE_PACKETS && !refused; i++) {
                    byte[] packet = tonePacket(i);
                    try {
                        intruder.send(new DatagramPacket(packet, packet.length));
                    } catch (PortUnreachableException e) {
                        refused = true; // an earlier packet's refusal, reported on this send
                    }
                }
                if (!refused) {
                    PortRefusal.await(intruder, STEP_WITHIN);
                }
                running.cue("the intruder was refused");
                sipp = running.await();
            }
            // The 200 to the BYE goes out before the call's end is written: wait for it while the gateway runs, or
            // closing the gateway ends the call as a shutdown.
            call = RecordedCall.awaitOnly(recordings, STEP_WITHIN);
        }
        assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
        assertEquals("caller_bye", call.json().text("end_reason"));

        short[] left = call.caller();
        short[] said = Speech.shortReference("speech_short.ulaw");
        Signals.Match m = Signals.bestMatch(left, said, 0, left.length - said.length);
        assertTrue(m.score() >= SPEECH_SCORE, "the caller's speech is in the left channel: " + m);
        int lastSound = left.length - 1;
        while (lastSound >= 0 && left[lastSound] == 0) {
            lastSound--;
        }
        int speechEnd = m.lag() + said.length;
        assertTrue(lastSound < speechEnd + TAIL_SAMPLES, "after the speech ending at sample " + speechEnd
                + " the caller channel is digital silence, yet sample " + lastSound + " of " + left.length
                + " is " + (lastSound >= 0 ? left[lastSound] : 0));
    }

    /** Packet {@code i} of the tone: mu-law, its own SSRC, sequence and timestamp (RFC 3550 §5.1). */
    private static byte[] tonePacket(int i) {
        int samples = Speech.PACKET_BYTES;
        short[] tone = Signals.sine(1000, 8000, 16_000, (long) i * samples, samples);
        ByteBuffer b = ByteBuffer.allocate(RtpPeer.HEADER_BYTES + samples);
        b.put((byte) 0x80).put((byte) PCMU).putShort((short) i).putInt(i * samples).putInt(0x0BAD_CA11);
        for (short s : tone) {
            b.put(G711.PCMU.encode(s));
        }
        return b.array();
    }
}
