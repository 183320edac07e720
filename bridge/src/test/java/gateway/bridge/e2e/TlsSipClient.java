package gateway.bridge.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Hand-written SIP over one TLS connection (RFC 3261 §18.3 framing by Content-Length) from the JDK's own TLS client:
 * it trusts a given CA file and presents a client certificate when given a PKCS#12 key store. Threading: one test
 * thread.
 */
final class TlsSipClient implements AutoCloseable {

    /** CR LF CR LF as the last four bytes read, big-endian. */
    private static final int END_OF_HEADERS = 0x0D0A0D0A;

    private final SSLSocket socket;
    private final InputStream in;

    /**
     * Connects and completes the handshake with the server at 127.0.0.1:{@code port}, trusting {@code caPem};
     * {@code clientKeys} (a PKCS#12 file with password {@code password}) is our certificate, null for none.
     */
    TlsSipClient(int port, Path caPem, Path clientKeys, char[] password, Duration timeout) throws IOException {
        SSLContext context = context(caPem, clientKeys, password);
        socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        socket.startHandshake();
        in = socket.getInputStream();
    }

    private static SSLContext context(Path caPem, Path clientKeys, char[] password) throws IOException {
        try (InputStream ca = Files.newInputStream(caPem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = null;
            if (clientKeys != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                try (InputStream keyIn = Files.newInputStream(clientKeys)) {
                    own.load(keyIn, password);
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the test's TLS client", e);
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Sends {@code text} with LF line ends turned into CRLF. */
    void send(String text) throws IOException {
        socket.getOutputStream().write(text.replace("\r\n", "\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next final (non-1xx) response, skipping provisional ones; fails when the socket's timeout passes. */
    SipMessage awaitFinalResponse() throws IOException {
        while (true) {
            SipMessage message = SipMessage.parse(readMessage(), null, true);
            if (message.isResponse() && message.statusCode() >= 200) {
                return message;
            }
        }
    }

    private String readMessage() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != END_OF_HEADERS) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int length = SipMessage.parse(text, null, true).header("Content-Length").map(String::trim)
                .map(Integer::parseInt).orElse(0);
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
