package gateway.sip;

import gateway.sip.auth.DigestSettings;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who may call and how hard anyone may knock: the per-source {@link SourcePolicy}, digest authentication for the
 * sources it says need it ({@code digest} null: none may need it, and such sources are refused), the per-source
 * budgets for INVITEs and for failed authentications, and the User-Agent words of scanners, which get no answer.
 */
public record AccessSettings(SourcePolicy policy, DigestSettings digest, RateLimit invites, RateLimit authFailures,
                             List<String> scannerAgents) {

    /** INVITEs per second one source may send, and the burst: well above a carrier trunk's call rate. */
    public static final RateLimit DEFAULT_INVITES = new RateLimit(50, 100);
    /** Failed authentications one source may have: 10 a minute, 10 at once, then its INVITEs are dropped. */
    public static final RateLimit DEFAULT_AUTH_FAILURES = new RateLimit(10 / 60.0, 10);
    /** User-Agent words of the common SIP scanners (SIPVicious and its forks, sipcli, sundayddr, and the like). */
    public static final List<String> DEFAULT_SCANNER_AGENTS = List.of("friendly-scanner", "sipvicious", "sipcli",
            "sip-scan", "sundayddr", "iwar", "sivus", "vaxsipuseragent");
    /** Everyone may call without a password, with the default budgets: what the SIP layer does unless told. */
    public static final AccessSettings OPEN = new AccessSettings(SourcePolicy.OPEN_TO_ALL, null, DEFAULT_INVITES,
            DEFAULT_AUTH_FAILURES, DEFAULT_SCANNER_AGENTS);

    public AccessSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(invites, "invites");
        Objects.requireNonNull(authFailures, "authFailures");
        scannerAgents = scannerAgents.stream().map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
        for (String word : scannerAgents) {
            if (!word.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("a scanner word is printable ASCII without spaces: " + word);
            }
        }
    }
}
