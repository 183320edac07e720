package gateway.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;

/**
 * The SIP extensions (option tags, RFC 3261 §19.2) we implement, and what a request requires or supports: reliable
 * provisional responses ({@code 100rel}, RFC 3262) and session timers ({@code timer}, RFC 4028). Pure.
 */
final class Extensions {

    /** RFC 3262. */
    static final String RELIABLE_PROVISIONALS = "100rel";
    /** RFC 4028. */
    static final String SESSION_TIMER = "timer";
    /** The value of our Supported header (RFC 3261 §20.37). */
    static final String SUPPORTED = RELIABLE_PROVISIONALS + ", " + SESSION_TIMER;
    private static final Set<String> OURS = Set.of(RELIABLE_PROVISIONALS, SESSION_TIMER);

    private Extensions() {
    }

    /** The option tags of {@code request}'s Require headers that we do not implement, in order (§8.2.2.3). */
    static List<String> unsupportedRequired(SIPRequest request) {
        List<String> unsupported = new ArrayList<>();
        for (String tag : tags(request, RequireHeader.NAME)) {
            if (!OURS.contains(tag.toLowerCase(Locale.ROOT))) {
                unsupported.add(tag);
            }
        }
        return unsupported;
    }

    /** True when {@code request} lists {@code tag} in a Require header. */
    static boolean requires(SIPRequest request, String tag) {
        return has(tags(request, RequireHeader.NAME), tag);
    }

    /** True when {@code request} lists {@code tag} in a Supported or a Require header (either says it can do it). */
    static boolean supports(SIPRequest request, String tag) {
        return has(tags(request, SupportedHeader.NAME), tag) || requires(request, tag);
    }

    private static boolean has(List<String> tags, String tag) {
        return tags.stream().anyMatch(tag::equalsIgnoreCase);
    }

    /** Every option tag of every header named {@code name} (there may be several, as CUCM sends). */
    private static List<String> tags(SIPRequest request, String name) {
        List<String> tags = new ArrayList<>(4);
        for (Iterator<?> it = request.getHeaders(name); it != null && it.hasNext(); ) {
            String value = ((gov.nist.javax.sip.header.SIPHeader) it.next()).getHeaderValue();
            for (String tag : value.split(",")) {
                if (!tag.isBlank()) {
                    tags.add(tag.trim());
                }
            }
        }
        return tags;
    }
}
