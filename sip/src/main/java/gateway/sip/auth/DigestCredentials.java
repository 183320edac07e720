package gateway.sip.auth;

import java.util.function.UnaryOperator;

/**
 * The parameters of one {@code Authorization: Digest} header (RFC 3261 §22.4, RFC 7616 §3.4), unquoted, exactly as
 * received; absent ones are null.
 */
public record DigestCredentials(String username, String realm, String nonce, String uri, String response,
                                String algorithm, String qop, String cnonce, String nc) {

    /** Reads the parameters through {@code parameter}, which gives a parameter's unquoted value or null. */
    public static DigestCredentials of(UnaryOperator<String> parameter) {
        return new DigestCredentials(parameter.apply("username"), parameter.apply("realm"), parameter.apply("nonce"),
                parameter.apply("uri"), parameter.apply("response"), parameter.apply("algorithm"),
                parameter.apply("qop"), parameter.apply("cnonce"), parameter.apply("nc"));
    }

    /** Never prints the response. */
    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", realm=" + realm + ", algorithm=" + algorithm + ", nc=" + nc
                + "]";
    }
}
