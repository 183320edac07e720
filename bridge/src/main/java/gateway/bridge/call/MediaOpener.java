package gateway.bridge.call;

import gateway.rtp.MediaListener;
import gateway.rtp.RtpStreamSpec;
import java.util.concurrent.CompletableFuture;

/** Opens a call's media leg. */
@FunctionalInterface
interface MediaOpener {

    /**
     * Binds a local RTP port and starts a session for {@code spec} whose packets and ticks reach {@code listener}.
     * Completes on the call's loop; exceptionally with {@link NoMediaPortException} when no port could be bound.
     */
    CompletableFuture<MediaLeg> open(RtpStreamSpec spec, MediaListener listener);

    /** No RTP port could be allocated and bound. */
    final class NoMediaPortException extends Exception {
        private static final long serialVersionUID = 1L;

        NoMediaPortException(String message) {
            super(message, null, false, false);
        }
    }
}
