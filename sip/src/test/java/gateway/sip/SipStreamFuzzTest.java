package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Any byte stream on an accepted TCP connection from a trusted balancer, through the pipeline of
 * {@link SipPipelines#accepted} without TLS (PROXY protocol v1/v2 via netty-codec-haproxy, the framer, admission,
 * parser, core), delivered in chunks: nothing is thrown or logged with a throwable (a malformed PROXY header closes
 * the connection, see {@code ProxyProtocolHandler}), every chunk is released, and the framer never holds more than one
 * message's worth (its header and body caps). Seeds and findings: {@code SipStreamFuzzTestInputs}.
 */
class SipStreamFuzzTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress("192.0.2.50", 41000);
    /** Chunk sizes cycled through, from the one the first byte picks: TCP delivers any split. */
    private static final int[] CHUNKS = {1, 3, 17, 64, 536, 1460, 4096, 65_536};

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aStreamIsFramedWithinItsCapsAndNothingEscapes(byte[] stream) {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return BALANCER;
            }
        };
        ManualScheduler scheduler = new ManualScheduler();
        List<ByteBuf> chunks = new ArrayList<>();
        try (LogCapture log = LogCapture.everything("gateway.sip")) {
            RequestAdmission admission = new RequestAdmission(AccessSettings.OPEN, scheduler);
            SipCore core = UdpHarness.core(channel, scheduler, admission, TcpConnector.NONE, call -> { });
            channel.pipeline().addLast("proxy-protocol", new ProxyProtocolHandler(BALANCER.getAddress()::equals));
            SipPipelines.tcp(channel.pipeline(), new AdmissionHandler(admission, core), new SipMessageParser(),
                    new SipDispatcher(core), false);
            int size = stream.length == 0 ? 0 : Byte.toUnsignedInt(stream[0]);
            for (int offset = 0; offset < stream.length && channel.isOpen(); size++) {
                int length = Math.min(CHUNKS[size % CHUNKS.length], stream.length - offset);
                ByteBuf chunk = Unpooled.copiedBuffer(stream, offset, length);
                chunks.add(chunk);
                channel.writeInbound(chunk);
                offset += length;
                TcpSipFramer framer = channel.pipeline().get(TcpSipFramer.class);
                if (framer != null) {
                    assertTrue(framer.buffered()
                                    <= TcpSipFramer.MAX_HEADER_BYTES + TcpSipFramer.MAX_BODY_BYTES,
                            "framer holds " + framer.buffered() + " bytes");
                }
            }
            scheduler.advanceMillis(SipTimers.TIMEOUT / 1_000_000);
            channel.checkException();
            channel.finishAndReleaseAll();
            FuzzInvariants.released(chunks);
            FuzzInvariants.nothingThrown(log);
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
