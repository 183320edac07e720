package gateway.sip.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users who may call with a password, as HA1 values per algorithm, read from a file of lines:
 * <pre>
 *   # a comment
 *   alice:a plain password          (HA1 computed here for every algorithm)
 *   bob:MD5:&lt;32 hex digits&gt;         (HA1 = MD5(bob:realm:password), computed elsewhere)
 *   bob:SHA-256:&lt;64 hex digits&gt;
 * </pre>
 * A pre-hashed user answers only the algorithms given for it, and its HA1 holds the realm, so it is valid for that
 * realm only. Neither passwords nor HA1 values ever appear in a message or in {@link #toString()}.
 */
public final class DigestUsers {

    /** RFC 3261 §25.1 user characters, without the escapes: what a username may hold here. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9\\-_.!~*'()&=+$,;?/]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    private final Map<String, Map<DigestAlgorithm, String>> ha1;

    private DigestUsers(Map<String, Map<DigestAlgorithm, String>> ha1) {
        this.ha1 = ha1;
    }

    /** Reads {@code file}; an {@link IllegalArgumentException} names the bad line by number, never its secret. */
    public static DigestUsers load(Path file, String realm) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), realm);
    }

    /** Parses the lines of a users file for {@code realm}. */
    public static DigestUsers parse(List<String> lines, String realm) {
        Map<String, Map<DigestAlgorithm, String>> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNumber = i + 1;
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IllegalArgumentException("line " + lineNumber + ": expected user:password,"
                        + " user:MD5:<HA1 hex> or user:SHA-256:<HA1 hex>");
            }
            String user = line.substring(0, colon);
            if (!USERNAME.matcher(user).matches()) {
                throw new IllegalArgumentException("line " + lineNumber + ": the user name may hold letters, digits"
                        + " and - _ . ! ~ * ' ( ) & = + $ , ; ? / only");
            }
            Map<DigestAlgorithm, String> entry = users.computeIfAbsent(user, u -> new EnumMap<>(DigestAlgorithm.class));
            String rest = line.substring(colon + 1);
            Map.Entry<DigestAlgorithm, String> hashed = preHashed(rest, lineNumber);
            if (hashed != null) {
                if (entry.put(hashed.getKey(), hashed.getValue()) != null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": a second " + hashed.getKey().token()
                            + " entry for " + user);
                }
            } else {
                if (!entry.isEmpty()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": " + user + " is listed twice");
                }
                for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
                    entry.put(algorithm, Digest.ha1(algorithm, user, realm, rest));
                }
            }
        }
        return new DigestUsers(Map.copyOf(users));
    }

    /** The HA1 of {@code rest} when it is {@code ALGORITHM:hex} of the right length, else null (a password). */
    private static Map.Entry<DigestAlgorithm, String> preHashed(String rest, int lineNumber) {
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return null;
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.byToken(rest.substring(0, colon));
        if (algorithm.isEmpty()) {
            return null;
        }
        String hex = rest.substring(colon + 1).strip();
        if (hex.length() != algorithm.get().hexLength() || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("line " + lineNumber + ": a " + algorithm.get().token() + " HA1 is "
                    + algorithm.get().hexLength() + " hex digits");
        }
        return Map.entry(algorithm.get(), hex.toLowerCase(Locale.ROOT));
    }

    /** The HA1 of {@code user} for {@code algorithm}, if the user exists and has one for it. */
    public Optional<String> ha1(String user, DigestAlgorithm algorithm) {
        Map<DigestAlgorithm, String> entry = ha1.get(user);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.get(algorithm));
    }

    public int size() {
        return ha1.size();
    }

    @Override
    public String toString() {
        return "DigestUsers[" + ha1.size() + " users]";
    }
}
