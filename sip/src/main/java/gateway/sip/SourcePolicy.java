package gateway.sip;

import java.net.InetAddress;

/** Who may send INVITEs: per source address, refused, allowed, or allowed once digest authentication succeeds. */
@FunctionalInterface
public interface SourcePolicy {

    /** What a source may do. */
    enum Access {
        /** INVITEs are answered 403 (or not at all), before any parsing. */
        REFUSED,
        /** INVITEs become calls without a password. */
        OPEN,
        /** INVITEs are challenged (401) and become calls once their digest credentials are right. */
        DIGEST
    }

    /** Every source may call, no password: the SIP layer's default. */
    SourcePolicy OPEN_TO_ALL = source -> Access.OPEN;

    /** The access of {@code source}; called for every request, from any SIP thread, so it must be cheap. */
    Access of(InetAddress source);
}
