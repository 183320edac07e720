package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.util.List;

/**
 * Any datagram through the whole UDP pipeline (datagram decoder, admission, jain-sip parser and our checks, the core):
 * nothing is thrown or logged as a failure, the datagram is released, and a message the parser refuses gets exactly
 * its 400 (or 505) when it names enough to answer, else nothing (RFC 3261 §8.2, §18.3). Seeds: the RFC 4475 torture
 * messages and the tests' fixtures ({@code SipDatagramFuzzTestInputs}).
 */
class SipDatagramFuzzTest {

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aDatagramIsAnsweredAsItsParseSaysOrDropped(byte[] datagram) {
        try (LogCapture log = LogCapture.everything("gateway.sip"); UdpHarness sip = new UdpHarness()) {
            ByteBuf content = Unpooled.buffer(datagram.length).writeBytes(datagram);
            sip.channel.writeInbound(new DatagramPacket(content, UdpHarness.LOCAL, UdpHarness.CALLER));
            sip.scheduler.advanceMillis(SipTimers.TIMEOUT / 1_000_000);
            List<String> sent = sip.drain();
            sip.channel.checkException();
            assertEquals(0, content.refCnt(), "the datagram is released");
            FuzzInvariants.nothingThrown(log);
            if (datagram.length < UdpSipDecoder.MIN_DATAGRAM || datagram.length > UdpSipDecoder.MAX_DATAGRAM) {
                assertEquals(List.of(), sent, "too short or too long: dropped unread");
                return;
            }
            for (String message : sent) {
                assertTrue(message.startsWith("SIP/2.0 "), "only responses go back: " + message);
            }
            if (new SipMessageParser().parse(datagram) instanceof ParseOutcome.Invalid invalid) {
                if (invalid.raw().canAnswer()) {
                    assertEquals(1, sent.size(), "one answer to a malformed request: " + sent);
                    assertEquals(invalid.status(), UdpHarness.status(sent.get(0)));
                } else {
                    assertEquals(List.of(), sent, "a malformed message that names no transaction is dropped");
                }
            }
        }
    }
}
