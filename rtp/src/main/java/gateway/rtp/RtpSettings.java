package gateway.rtp;

import java.time.InstantSource;
import java.util.Objects;

/**
 * What every RTP session of the gateway is configured with.
 *
 * @param inactivityTimeoutNanos end the media after this long without RTP or RTCP from the caller while the stream
 *                               should flow (see {@link MediaListener#onMediaTimeout}); 0 = never
 * @param wallClock              wall time, for the NTP timestamps of RTCP sender reports
 * @param strictSource           once a packet has latched the caller's address, hear only that source until an SDP
 *                               update ({@link ConnectedSource}); false hears every source all call long
 */
public record RtpSettings(long inactivityTimeoutNanos, InstantSource wallClock, boolean strictSource) {

    /** No inactivity timeout, the system's wall clock, strict source. */
    public static final RtpSettings DEFAULTS = new RtpSettings(0, InstantSource.system());

    /** Strict source ({@code rtp.strict-source}'s default). */
    public RtpSettings(long inactivityTimeoutNanos, InstantSource wallClock) {
        this(inactivityTimeoutNanos, wallClock, true);
    }

    public RtpSettings {
        if (inactivityTimeoutNanos < 0) {
            throw new IllegalArgumentException("negative inactivity timeout: " + inactivityTimeoutNanos);
        }
        Objects.requireNonNull(wallClock, "wallClock");
    }
}
