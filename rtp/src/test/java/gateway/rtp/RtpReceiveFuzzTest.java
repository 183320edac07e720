package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Any sequence of datagrams on a session's RTP port, through the pipeline {@link RtpSession#attach} builds (the
 * RFC 7983 demultiplexer with its STUN answers, RTP with RFC 4733 events and the jitter buffer, RTCP multiplexed per
 * RFC 5761): nothing is thrown, logged with a throwable or reported as a media fault, and every datagram is released.
 *
 * <p>The input is a list of records: a control byte (bit 0: from the SDP address, else a stranger's; bits 1-7:
 * milliseconds the clock moves first), a two-byte length, then that many bytes of datagram. The first byte of the
 * input picks the codec and whether RTCP is multiplexed. Seeds: {@code RtpReceiveFuzzTestInputs}.
 */
class RtpReceiveFuzzTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 10_000);
    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 31_000);
    private static final RtpCodec[] CODECS = {G711.PCMU, G711.PCMA, Wideband.G722, G711.PCMU};
    private static final int TELEPHONE_EVENT_PT = 101;

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void datagramsAreTakenOrDroppedAndNothingEscapes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ManualScheduler scheduler = new ManualScheduler();
        EmbeddedChannel channel = new EmbeddedChannel();
        TestPackets.RecordingListener listener = new TestPackets.RecordingListener();
        List<ByteBuf> received = new ArrayList<>();
        RtpCodec codec = CODECS[input[0] & 3];
        boolean rtcpMux = (input[0] & 4) != 0;
        RtpStreamSpec spec = new RtpStreamSpec(codec, codec.payloadType(), TELEPHONE_EVENT_PT, true, true, SDP,
                RtpStreamSpec.DEFAULT_PTIME_MS, rtcpMux, null, null);
        try (LogCapture log = LogCapture.of("gateway.rtp")) {
            RtpSession session = RtpSession.attach(channel, null, spec, new PacingWheel(scheduler), listener,
                    new RtpSettings(5_000_000_000L, InstantSource.fixed(Instant.EPOCH)));
            session.start(scheduler.nanoTime());
            for (int at = 1; at + 3 <= input.length; ) {
                int control = input[at] & 0xFF;
                int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
                scheduler.advanceMillis(control >> 1);
                ByteBuf content = Unpooled.buffer(length).writeBytes(input, at + 3, length);
                received.add(content);
                channel.writeInbound(new DatagramPacket(content, LOCAL, (control & 1) != 0 ? SDP : STRANGER));
                at += 3 + length;
            }
            scheduler.advanceMillis(1000);
            session.close();
            channel.checkException();
            channel.finishAndReleaseAll();
            FuzzInvariants.released(received);
            FuzzInvariants.nothingThrown(log);
            assertEquals(List.of(), listener.faults, "media faults");
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
