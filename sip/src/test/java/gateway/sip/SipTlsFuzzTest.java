package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import gateway.testkit.LogCapture;
import gateway.testkit.TestTls;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Any byte stream on an accepted connection of the TLS listener from a trusted balancer, through the pipeline of
 * {@link SipPipelines#accepted} with TLS (PROXY protocol header, SslHandler, framer with its message deadline,
 * admission, parser, core). The first byte picks how: odd, the bytes go to the SslHandler as they are (the record
 * layer and the handshake parser); even, a real TLS client finishes the handshake first and sends them as its
 * application data (the framer behind TLS); bit 1 puts a PROXY v1 header first. Delivered in chunks, nothing is
 * thrown or logged with a throwable except a TLS failure ({@link SSLException}, which closes the connection), every
 * chunk is released, and the framer never holds more than one message's worth. Seeds: {@code SipTlsFuzzTestInputs}.
 */
class SipTlsFuzzTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress("192.0.2.50", 41000);
    private static final byte[] PROXY_V1 = "PROXY TCP4 198.51.100.7 192.0.2.1 40000 5061\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Chunk sizes cycled through, from the one the second byte picks: TCP delivers any split. */
    private static final int[] CHUNKS = {1, 3, 17, 64, 536, 1460, 4096, 16_384};
    /** Round trips a TLS 1.3 or 1.2 handshake takes between two embedded channels, with room to spare. */
    private static final int HANDSHAKE_ROUNDS = 10;
    private static final SipSecurity SECURITY;
    private static final SslContext CLIENT;

    static {
        try {
            Path dir = Files.createTempDirectory("sip-tls-fuzz");
            TestTls.PemFiles pem = TestTls.serverPem(dir);
            SipTls tls = SipTls.fromPem(SipTls.DEFAULT_PORT, pem.certificateChain(), pem.key(), null);
            SECURITY = new SipSecurity(SrtpMode.OFFER, false, tls, BALANCER.getAddress()::equals);
            CLIENT = SslContextBuilder.forClient().trustManager(TestTls.caCertificate(dir).toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aTlsStreamIsFramedWithinItsCapsAndNothingEscapes(byte[] input) throws SSLException {
        EmbeddedChannel parent = new EmbeddedChannel();
        EmbeddedChannel server = new EmbeddedChannel(parent, DefaultChannelId.newInstance(), true, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return BALANCER;
            }
        };
        EmbeddedChannel client = new EmbeddedChannel(CLIENT.newHandler(parent.alloc(), "127.0.0.1", 5061));
        ManualScheduler scheduler = new ManualScheduler();
        List<ByteBuf> chunks = new ArrayList<>();
        try (LogCapture log = LogCapture.everything("gateway.sip")) {
            RequestAdmission admission = new RequestAdmission(AccessSettings.OPEN, scheduler);
            SipCore core = UdpHarness.core(server, scheduler, admission, TcpConnector.NONE, call -> { });
            SipPipelines.accepted(server, new AdmissionHandler(admission, core), new SipMessageParser(),
                    new SipDispatcher(core), Transport.TLS, SECURITY, true, Duration.ofSeconds(10));
            int mode = input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]);
            int size = input.length < 2 ? 0 : Byte.toUnsignedInt(input[1]);
            if ((mode & 2) != 0) {
                deliver(server, PROXY_V1, 0, PROXY_V1.length, chunks);
            }
            boolean raw = (mode & 1) != 0;
            if (!raw) {
                handshake(client, server, chunks);
            }
            for (int offset = Math.min(2, input.length); offset < input.length && server.isOpen(); size++) {
                int length = Math.min(CHUNKS[size % CHUNKS.length], input.length - offset);
                if (raw) {
                    deliver(server, input, offset, length, chunks);
                } else {
                    client.writeOutbound(Unpooled.copiedBuffer(input, offset, length));
                    shuttle(client, server, chunks);
                }
                offset += length;
                TcpSipFramer framer = server.pipeline().get(TcpSipFramer.class);
                if (framer != null) {
                    assertTrue(framer.buffered() <= TcpSipFramer.MAX_HEADER_BYTES + TcpSipFramer.MAX_BODY_BYTES,
                            "framer holds " + framer.buffered() + " bytes");
                }
            }
            scheduler.advanceMillis(SipTimers.TIMEOUT / 1_000_000);
            server.checkException();
            server.finishAndReleaseAll();
            FuzzInvariants.released(chunks);
            FuzzInvariants.nothingThrownBut(log, SipTlsFuzzTest::tlsFailure);
        } finally {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
            parent.finishAndReleaseAll();
        }
    }

    /** A TLS failure as the SslHandler reports it: an {@link SSLException}, alone or in a decoder's exception. */
    private static boolean tlsFailure(Throwable thrown) {
        return thrown instanceof SSLException
                || thrown instanceof DecoderException && thrown.getCause() instanceof SSLException;
    }

    /** Runs the client's handshake against the server's pipeline until both sides have finished it. */
    private static void handshake(EmbeddedChannel client, EmbeddedChannel server, List<ByteBuf> chunks) {
        SslHandler tls = client.pipeline().get(SslHandler.class);
        SslHandler serverTls = server.pipeline().get(SslHandler.class);
        for (int round = 0; round < HANDSHAKE_ROUNDS && !(tls.handshakeFuture().isDone()
                && serverTls.handshakeFuture().isDone()); round++) {
            shuttle(client, server, chunks);
        }
        assertTrue(tls.handshakeFuture().isSuccess(), "handshake: " + tls.handshakeFuture().cause());
        assertTrue(serverTls.handshakeFuture().isSuccess(), "handshake: " + serverTls.handshakeFuture().cause());
    }

    /** Moves what each side wrote to the other: the client's records into the server, the server's back. */
    private static void shuttle(EmbeddedChannel client, EmbeddedChannel server, List<ByteBuf> chunks) {
        for (ByteBuf out = client.readOutbound(); out != null; out = client.readOutbound()) {
            // An unpooled copy to track: a pooled buffer's object is reused once released, so its refCnt says nothing.
            ByteBuf copy = Unpooled.copiedBuffer(out);
            out.release();
            chunks.add(copy);
            server.writeInbound(copy);
        }
        for (ByteBuf back = server.readOutbound(); back != null; back = server.readOutbound()) {
            client.writeInbound(back);
        }
        client.releaseInbound();
    }

    private static void deliver(EmbeddedChannel server, byte[] bytes, int offset, int length, List<ByteBuf> chunks) {
        ByteBuf chunk = Unpooled.copiedBuffer(bytes, offset, length);
        chunks.add(chunk);
        server.writeInbound(chunk);
    }
}
