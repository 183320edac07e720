package gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and checks the secure-transport keys: {@code sip.tls.*} (the PEM files must be readable, hold what they
 * should, and the key must be the certificate's), {@code sip.proxy-protocol.trusted} and {@code rtp.srtp*}. Each
 * problem stops start-up with a message naming its key.
 */
final class SecureTransportConfig {

    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    private static final List<String> SRTP_MODES = List.of("off", "offer", "require");

    private SecureTransportConfig() {
    }

    /** The TLS listener, or null when {@code sip.tls.port} is 0 (and then no other sip.tls key may be set). */
    static GatewayConfig.Tls tls(Map<ConfigKey, String> v, int sipPort) throws ConfigException {
        int port = ConfigLoader.boundedInt(ConfigKey.SIP_TLS_PORT, v, 0, 65535);
        String cert = v.get(ConfigKey.SIP_TLS_CERT).trim();
        String key = v.get(ConfigKey.SIP_TLS_KEY).trim();
        String clientCa = v.get(ConfigKey.SIP_TLS_CLIENT_CA).trim();
        if (port == 0) {
            for (ConfigKey set : List.of(ConfigKey.SIP_TLS_CERT, ConfigKey.SIP_TLS_KEY, ConfigKey.SIP_TLS_CLIENT_CA)) {
                if (!v.get(set).trim().isEmpty()) {
                    throw new ConfigException(ConfigKey.SIP_TLS_PORT.key(), "is 0 (no TLS) but " + set.key()
                            + " is set; give the TLS port (5061 is usual)");
                }
            }
            return null;
        }
        if (port == sipPort) {
            throw new ConfigException(ConfigKey.SIP_TLS_PORT.key(), "must differ from sip.port (" + sipPort
                    + "), which UDP and TCP use");
        }
        List<X509Certificate> chain = certificates(ConfigKey.SIP_TLS_CERT, cert);
        PrivateKey privateKey = privateKey(key, chain.get(0).getPublicKey());
        if (!matches(privateKey, chain.get(0).getPublicKey())) {
            throw new ConfigException(ConfigKey.SIP_TLS_KEY.key(), "is not the key of the certificate in " + cert);
        }
        Path ca = null;
        if (!clientCa.isEmpty()) {
            certificates(ConfigKey.SIP_TLS_CLIENT_CA, clientCa);
            ca = Path.of(clientCa);
        }
        return new GatewayConfig.Tls(port, Path.of(cert), Path.of(key), ca);
    }

    /** The load balancers that may send a PROXY protocol header, or null when the list is empty (off). */
    static SourceFilter proxyTrusted(Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(ConfigKey.SIP_PROXY_PROTOCOL_TRUSTED).trim();
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.equalsIgnoreCase("any")) {
            throw new ConfigException(ConfigKey.SIP_PROXY_PROTOCOL_TRUSTED.key(),
                    "cannot be 'any': whoever may send a header may claim any caller's address; list the balancers");
        }
        try {
            return SourceFilter.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.SIP_PROXY_PROTOCOL_TRUSTED.key(), e.getMessage());
        }
    }

    /** {@code rtp.srtp}: off, offer or require (lower case). */
    static String srtpMode(Map<ConfigKey, String> v) throws ConfigException {
        String mode = v.get(ConfigKey.RTP_SRTP).trim().toLowerCase(Locale.ROOT);
        if (!SRTP_MODES.contains(mode)) {
            throw new ConfigException(ConfigKey.RTP_SRTP.key(), "must be off, offer or require, got '" + mode + "'");
        }
        return mode;
    }

    private static List<X509Certificate> certificates(ConfigKey key, String raw) throws ConfigException {
        Path file = readable(key, raw);
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key.key(), raw + " is not a file of PEM certificates: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(key.key(), raw + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static PrivateKey privateKey(String raw, PublicKey certified) throws ConfigException {
        String key = ConfigKey.SIP_TLS_KEY.key();
        Path file = readable(ConfigKey.SIP_TLS_KEY, raw);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + raw + ": " + e.getMessage());
        }
        int begin = text.indexOf(KEY_BEGIN);
        int end = text.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            throw new ConfigException(key, raw + " holds no unencrypted PKCS#8 key (" + KEY_BEGIN + "); convert one"
                    + " with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
            return KeyFactory.getInstance(certified.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigException(key, raw + " is not a " + certified.getAlgorithm() + " private key matching the"
                    + " certificate's: " + e.getMessage());
        }
    }

    /** True when {@code privateKey} signs what {@code publicKey} verifies. */
    private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> publicKey.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Path readable(ConfigKey key, String raw) throws ConfigException {
        if (raw.isEmpty()) {
            throw new ConfigException(key.key(), "must be set when sip.tls.port is set");
        }
        Path file = Path.of(raw);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(key.key(), "cannot read the file " + raw);
        }
        return file;
    }
}
