package gateway.bridge.call;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Makes file-safe, sortable call ids such as {@code 20261123T180102Z-9f3a1c2e}. */
final class CallIds {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallIds() {
    }

    static String next(Instant now) {
        return STAMP.format(now) + "-" + String.format("%08x", RANDOM.nextInt());
    }
}
