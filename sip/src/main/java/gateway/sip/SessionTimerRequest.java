package gateway.sip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.Locale;

/**
 * What a session refresh request (INVITE, re-INVITE, UPDATE) or its 2xx says of the session timer (RFC 4028 §4,
 * §5), and the answer we give as its UAS (§9). Pure.
 *
 * @param sessionExpires the Session-Expires delta-seconds, -1 when absent
 * @param refresher      its refresher parameter ({@code uac} or {@code uas}, lower case), null when absent
 * @param minSe          the Min-SE value, {@link #MIN_SE_SECONDS} when absent or smaller (§5)
 * @param timerSupported whether the sender of a request listed {@code timer} in Supported or Require (false for a
 *                       response)
 */
record SessionTimerRequest(int sessionExpires, String refresher, int minSe, boolean timerSupported) {

    /** The smallest session interval anyone may use (§4, §5), and our own Min-SE. */
    static final int MIN_SE_SECONDS = 90;
    /** The interval we answer when offered a longer one (§4 recommends 1800 s), never below the request's Min-SE. */
    static final int PREFERRED_INTERVAL_SECONDS = 1800;
    static final String SESSION_EXPIRES = "Session-Expires";
    /** Its compact form (§4). */
    static final String SESSION_EXPIRES_COMPACT = "x";
    static final String MIN_SE = "Min-SE";
    static final String UAC = "uac";
    static final String UAS = "uas";

    /**
     * Our answer to a request that asks for a session timer.
     *
     * @param interval     the session interval in seconds, for the 2xx's Session-Expires
     * @param uacRefreshes true when the request's sender refreshes ({@code refresher=uac}), false when we do
     * @param requireTimer true when the 2xx must carry {@code Require: timer} (§9: the UAC refreshes)
     */
    record Answer(int interval, boolean uacRefreshes, boolean requireTimer) {

        /** The 2xx's Session-Expires value, e.g. {@code 1800;refresher=uac}. */
        String header() {
            return interval + ";refresher=" + (uacRefreshes ? UAC : UAS);
        }
    }

    /** Reads the session timer headers of {@code message}; a value that is not a number counts as absent. */
    static SessionTimerRequest of(SIPMessage message) {
        String expires = value(message, SESSION_EXPIRES);
        if (expires == null) {
            expires = value(message, SESSION_EXPIRES_COMPACT);
        }
        int interval = -1;
        String refresher = null;
        if (expires != null) {
            String[] parts = expires.split(";");
            interval = seconds(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("refresher")) {
                    String who = parameter[1].trim().toLowerCase(Locale.ROOT);
                    refresher = who.equals(UAC) || who.equals(UAS) ? who : null;
                }
            }
        }
        String minSe = value(message, MIN_SE);
        int min = minSe == null ? MIN_SE_SECONDS : Math.max(MIN_SE_SECONDS, seconds(minSe.split(";")[0]));
        boolean supported = message instanceof SIPRequest request
                && Extensions.supports(request, Extensions.SESSION_TIMER);
        return new SessionTimerRequest(interval, refresher, min, supported);
    }

    /** True when the message asks for a session timer (it carries Session-Expires). */
    boolean asked() {
        return sessionExpires >= 0;
    }

    /**
     * The Min-SE a 422 must carry when the asked interval is below ours or below the request's own Min-SE (§9, never
     * answering under the Min-SE offered); -1 when it is acceptable or none is asked.
     */
    int tooSmall() {
        return asked() && sessionExpires < minSe ? minSe : -1;
    }

    /**
     * Our answer as UAS (§9), null when no timer is asked (we do not impose one). The interval is the one asked, or
     * {@link #PREFERRED_INTERVAL_SECONDS} (at least the Min-SE) when more was asked; the refresher is the one asked,
     * else the request's sender when it supports timers, else us.
     */
    Answer answer() {
        if (!asked() || tooSmall() >= 0) {
            return null;
        }
        int interval = sessionExpires > PREFERRED_INTERVAL_SECONDS
                ? Math.max(PREFERRED_INTERVAL_SECONDS, minSe) : sessionExpires;
        boolean uacRefreshes = refresher != null ? refresher.equals(UAC) : timerSupported;
        return new Answer(interval, uacRefreshes, uacRefreshes);
    }

    private static String value(SIPMessage message, String name) {
        return message.getHeader(name) instanceof SIPHeader header ? header.getHeaderValue().trim() : null;
    }

    private static int seconds(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
