package gateway.library;

import java.util.Objects;

/**
 * The call's last transfer by REFER (RFC 3515), for call.json's {@code transfer}: where it sent the caller, when it
 * was started ({@code atMs} on the recording's timeline) and its final SIP status (the sipfrag's, or the REFER's own
 * when it was refused; 408 when no final NOTIFY came in time). A 2xx status means the caller was handed over.
 */
public record CallTransfer(String target, long atMs, int status) {

    public CallTransfer {
        Objects.requireNonNull(target, "target");
    }

    /** True when the transferee answered: the caller was handed over. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
