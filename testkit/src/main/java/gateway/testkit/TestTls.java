package gateway.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * A test-only TLS identity for 127.0.0.1 (see {@code gateway/testkit/tls/README.md}): a private CA's certificate,
 * for clients to trust explicitly, and a server key with a certificate for {@link #SERVER_ADDRESS} that the CA
 * signed. Valid until 2126; never trusted outside tests.
 */
public final class TestTls {

    /** The only name the server certificate is valid for (subjectAltName IP). */
    public static final String SERVER_ADDRESS = "127.0.0.1";
    private static final String DIR = "/gateway/testkit/tls/";
    private static final char[] PASSWORD = "test-only".toCharArray();

    private TestTls() {
    }

    /** The CA certificate as a PEM file, copied into {@code dir} (a test's temporary directory). */
    public static Path caCertificate(Path dir) {
        Path file = dir.resolve("test-only-ca.pem");
        try (InputStream in = resource("test-only-ca.pem")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Key managers holding the server key and its certificate chain (server, then CA). */
    public static KeyManagerFactory serverKeyManagers() {
        try (InputStream in = resource("test-only-server-127.0.0.1.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test key store cannot be read", e);
        }
    }

    /** The server certificate chain and its key as PEM files, as a gateway's {@code sip.tls.*} keys take them. */
    public record PemFiles(Path certificateChain, Path key) {
    }

    /**
     * Writes the server's certificate chain (server, then CA) and its key (PKCS#8) as PEM files into {@code dir} (a
     * test's temporary directory).
     */
    public static PemFiles serverPem(Path dir) {
        try (InputStream in = resource("test-only-server-127.0.0.1.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            StringBuilder chain = new StringBuilder();
            for (java.security.cert.Certificate certificate : store.getCertificateChain("server")) {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
            Path certificateFile = dir.resolve("test-only-server-chain.pem");
            Path keyFile = dir.resolve("test-only-server-key.pem");
            Files.writeString(certificateFile, chain);
            Files.writeString(keyFile, pem("PRIVATE KEY", store.getKey("server", PASSWORD).getEncoded()));
            return new PemFiles(certificateFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test key store cannot be read", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TestTls.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IOException("no resource " + DIR + name + " on the class path");
        }
        return in;
    }
}
