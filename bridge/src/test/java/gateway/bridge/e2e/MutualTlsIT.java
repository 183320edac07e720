package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gateway.demoagent.DemoScript;
import gateway.testkit.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the SIP/TLS port ({@code sip.tls.client-ca}): a carrier presenting a certificate from the configured
 * client CA is served, a client without one is refused at the handshake. The client CA and its certificate are made
 * for the test with the JDK's keytool; the JDK's own TLS client plays the carrier.
 */
@Tag("e2e")
class MutualTlsIT {

    private static final int RTP_MIN = 34_400;
    private static final char[] PASSWORD = "test-only".toCharArray();
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aClientWithACertificateFromTheClientCaIsServedAndOneWithoutIsRefused() throws Exception {
        Path serverCa = TestTls.caCertificate(dir);
        TestTls.PemFiles pem = TestTls.serverPem(dir);
        Path clientCa = clientCaAndCertificate();
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, List.of(
                "--sip.tls.port=" + (RTP_MIN + 1), "--sip.tls.cert=" + pem.certificateChain(),
                "--sip.tls.key=" + pem.key(), "--sip.tls.client-ca=" + clientCa))) {
            try (TlsSipClient carrier = new TlsSipClient(gw.tlsPort(), serverCa, dir.resolve("client.p12"), PASSWORD,
                    WITHIN)) {
                carrier.send(options(carrier.localPort(), "served"));
                SipMessage ok = carrier.awaitFinalResponse();
                assertEquals(200, ok.statusCode(), ok.startLine());
                assertEquals("1 OPTIONS", ok.header("CSeq").orElseThrow());
            }
            assertThrows(IOException.class, () -> {
                try (TlsSipClient stranger = new TlsSipClient(gw.tlsPort(), serverCa, null, null, WITHIN)) {
                    stranger.send(options(stranger.localPort(), "refused"));
                    stranger.awaitFinalResponse();
                }
            }, "a client without a certificate never gets a response");
        }
    }

    private static String options(int localPort, String name) {
        return "OPTIONS sip:agent@127.0.0.1;transport=tls SIP/2.0\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";branch=z9hG4bK-" + name + ";rport\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:" + name + "@127.0.0.1>;tag=" + name + "\n"
                + "To: <sip:agent@127.0.0.1>\n"
                + "Call-ID: mtls-" + name + "@127.0.0.1\n"
                + "CSeq: 1 OPTIONS\n"
                + "Content-Length: 0\n\n";
    }

    /**
     * Makes a client CA and a client certificate it signed (clientAuth) with keytool: {@code client.p12} holds the
     * key and certificate; returns the CA's PEM file.
     */
    private Path clientCaAndCertificate() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=carrier test-only client CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12",
                "-storetype", "PKCS12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=carrier", "-validity", "2", "-keystore", "client.p12", "-storetype", "PKCS12");
        keytool("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "client.csr", "-outfile",
                "client.pem", "-rfc", "-validity", "2", "-ext", "KU=digitalSignature", "-ext", "EKU=clientAuth");
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "client-ca.pem");
        keytool("-importcert", "-alias", "ca", "-file", "client-ca.pem", "-keystore", "client.p12", "-noprompt");
        keytool("-importcert", "-alias", "client", "-file", "client.pem", "-keystore", "client.p12", "-noprompt");
        return dir.resolve("client-ca.pem");
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", new String(PASSWORD)));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
