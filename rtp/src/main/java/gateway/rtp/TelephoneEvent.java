package gateway.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The RFC 4733 telephone-event payload (§2.3), read and written in place at absolute indices of a ByteBuf, and the
 * DTMF events it names (§3.2: events 0-15). Stateless and thread-safe.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TelephoneEvent {

    /** The payload's length (§2.3); a packet may carry more (redundant events, §2.5.1.5), which we do not read. */
    static final int LENGTH = 4;
    /** The volume we send, in −dBm0 (§2.3.4: DTMF digits are sent at −10 dBm0 or so). */
    static final int SEND_VOLUME = 10;
    private static final int END_BIT = 0x80;
    private static final int VOLUME_MASK = 0x3F;
    /** §3.2: 0-9, *, #, A-D. */
    private static final String DIGITS = "0123456789*#ABCD";

    private TelephoneEvent() {
    }

    /** The event code (§2.3.1). */
    static int event(ByteBuf buf, int payloadOffset) {
        return buf.getUnsignedByte(payloadOffset);
    }

    /** The E bit (§2.3.2): this packet ends the event. */
    static boolean end(ByteBuf buf, int payloadOffset) {
        return (buf.getUnsignedByte(payloadOffset + 1) & END_BIT) != 0;
    }

    /** The event's duration so far, in RTP units (§2.3.5). */
    static int duration(ByteBuf buf, int payloadOffset) {
        return buf.getUnsignedShort(payloadOffset + 2);
    }

    /** Appends a payload: {@code event} with the E bit, {@link #SEND_VOLUME} and {@code duration} RTP units. */
    static void write(ByteBuf out, int event, boolean end, int duration) {
        out.writeByte(event);
        out.writeByte((end ? END_BIT : 0) | SEND_VOLUME & VOLUME_MASK);
        out.writeShort(duration);
    }

    /** The DTMF key of event code {@code event} (§3.2), or 0 for any other event (flash, tones). */
    public static char digit(int event) {
        return event >= 0 && event < DIGITS.length() ? DIGITS.charAt(event) : 0;
    }

    /** The event code of DTMF key {@code digit} (0-9, *, #, A-D, upper or lower case), or -1. */
    public static int code(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }
}
