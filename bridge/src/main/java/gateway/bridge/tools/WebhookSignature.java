package gateway.bridge.tools;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the gateway signs a webhook request, so the receiver can trust it came from the gateway and was not replayed:
 * {@value #TIMESTAMP_HEADER} is the time of sending in Unix seconds, and {@value #SIGNATURE_HEADER} is
 * {@code v1=} followed by the lower-case hex HMAC-SHA256 (RFC 2104) of the UTF-8 bytes of the timestamp, a dot, and
 * the exact bytes of the body, keyed with the UTF-8 bytes of {@code agent.tools-secret}. A receiver recomputes it,
 * compares in constant time, and refuses timestamps more than a few minutes away from its clock.
 *
 * <p>Stateless apart from the key; safe from any thread ({@link Mac} instances are made per call).
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Gateway-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Gateway-Signature";
    /** The scheme's version, the prefix of the signature header's value. */
    public static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("no secret");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The {@value #SIGNATURE_HEADER} value for a body sent at {@code epochSeconds}. */
    public String sign(long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[key=set]";
    }
}
