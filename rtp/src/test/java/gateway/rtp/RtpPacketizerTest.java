package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The packetizer's G.711 payloads against the filter and the law applied by hand. */
class RtpPacketizerTest {

    /**
     * Replies with silence between them, in both laws: each packet's payload is the 24 kHz frame taken down to 8 kHz
     * and encoded. The first silent packet after a reply carries the filter's tail (it is filtered), and the silent
     * ones after it are the law's code for zero, which the packetizer writes without filtering once the filter is at
     * rest.
     */
    @Test
    void silenceAfterAReplyCarriesTheTailThenTheCodeForZero() {
        for (G711 law : new G711[] {G711.PCMU, G711.PCMA}) {
            RtpPacketizer packetizer = new RtpPacketizer(law, law.payloadType(), 9, 0, 0);
            Downsampler24kTo8k reference = new Downsampler24kTo8k();
            short[] reply = Signals.sine(700, 24_000, 12_000, 3 * RtpPacketizer.FRAME_24K);
            short[] silence = new short[RtpPacketizer.FRAME_24K];
            boolean[] speech = {true, true, true, false, false, false, true, false, false};
            ByteBuf out = Unpooled.buffer(RtpPacket.FIXED_HEADER_LENGTH + RtpPacketizer.FRAME_8K);
            for (int t = 0; t < speech.length; t++) {
                short[] frame = speech[t] ? Arrays.copyOfRange(reply, (t % 3) * RtpPacketizer.FRAME_24K,
                        (t % 3 + 1) * RtpPacketizer.FRAME_24K) : silence;
                short[] pcm8k = new short[RtpPacketizer.FRAME_8K];
                reference.process(frame, 0, frame.length, pcm8k, 0);
                byte[] expected = new byte[RtpPacketizer.FRAME_8K];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = law.encode(pcm8k[i]);
                }
                out.clear();
                packetizer.writePacket(frame, speech[t], out);
                byte[] payload = new byte[RtpPacketizer.FRAME_8K];
                out.getBytes(RtpPacket.FIXED_HEADER_LENGTH, payload);
                assertArrayEquals(expected, payload, law + ", packet " + t);
                byte zero = law.encode((short) 0);
                boolean allZero = true;
                for (byte b : payload) {
                    allZero &= b == zero;
                }
                if (t == 3 || t == 7) {
                    assertFalse(allZero, "the tail of the reply, packet " + t);
                } else if (!speech[t]) {
                    assertTrue(allZero, "silence at rest, packet " + t);
                }
            }
        }
    }
}
