package gateway.rtp;

import java.time.InstantSource;
import java.util.Objects;

/**
 * What every RTP session of the gateway is configured with.
 *
 * @param inactivityTimeoutNanos end the media after this long without RTP or RTCP from the caller while the stream
 *                               should flow (see {@link MediaListener#onMediaTimeout}); 0 = never
 * @param wallClock              wall time, for the NTP timestamps of RTCP sender reports
 */
public record RtpSettings(long inactivityTimeoutNanos, InstantSource wallClock) {

    /** No inactivity timeout, the system's wall clock. */
    public static final RtpSettings DEFAULTS = new RtpSettings(0, InstantSource.system());

    public RtpSettings {
        if (inactivityTimeoutNanos < 0) {
            throw new IllegalArgumentException("negative inactivity timeout: " + inactivityTimeoutNanos);
        }
        Objects.requireNonNull(wallClock, "wallClock");
    }
}
