package gateway.rtp;

import java.util.Objects;

/**
 * The SRTP keys of one media session as SDES negotiated them (RFC 4568 §6.1): the remote's key, which protects what
 * it sends us, and ours, which protects what we send.
 */
public record SrtpKeys(SrtpMasterKey receive, SrtpMasterKey send) {

    public SrtpKeys {
        Objects.requireNonNull(receive, "receive");
        Objects.requireNonNull(send, "send");
    }
}
