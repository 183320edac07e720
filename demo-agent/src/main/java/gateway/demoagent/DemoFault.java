package gateway.demoagent;

import java.util.Objects;

/**
 * A scripted fault for one connection of the demo agent ({@link DemoScript#expireAfterMs},
 * {@link DemoScript#closeAfterMs}, {@link DemoScript#dropAfterMs}, {@link DemoScript#silentAfterMs},
 * {@link DemoScript#sendAfterMs}, {@link DemoScript#oversizedAfterMs}), {@link #afterMs()} after its WebSocket
 * upgrade; or at the upgrade itself ({@link DemoScript#refuseConnection}, {@link DemoScript#holdConnection}).
 */
public sealed interface DemoFault {

    /** When the fault strikes, in ms after the upgrade (0 for the faults of the upgrade itself). */
    long afterMs();

    /**
     * The session reaches its maximum age (docs/realtime-protocol.md §5.5): {@code error} {@code session_expired},
     * then a close with 1001 and the error's message as the reason. {@code session.expires_at} announces this moment,
     * rounded up to the whole second.
     */
    record Expire(long afterMs) implements DemoFault {
        public Expire {
            requireNotNegative(afterMs);
        }
    }

    /** A close frame with {@code code} (one a close frame may carry, RFC 6455 §7.4). */
    record Close(long afterMs, int code) implements DemoFault {
        public Close {
            requireNotNegative(afterMs);
            if (!sendable(code)) {
                throw new IllegalArgumentException("close code " + code + " cannot be sent in a close frame"
                        + " (RFC 6455 §7.4.1: 1000-1003, 1007-1014 or 3000-4999)");
            }
        }
    }

    /** The TCP connection is closed without a close frame, as when a proxy or the network gives up. */
    record Drop(long afterMs) implements DemoFault {
        public Drop {
            requireNotNegative(afterMs);
        }
    }

    /**
     * The server hangs: from then on it sends nothing (no events, no pings) and reads nothing, so the client's pings
     * go unanswered, while the TCP connection stays open, as a wedged process or a black-holed route does.
     */
    record Silent(long afterMs) implements DemoFault {
        public Silent {
            requireNotNegative(afterMs);
        }
    }

    /** One text frame of {@code text}, sent as it is (malformed JSON, an unknown event), then the session goes on. */
    record Send(long afterMs, String text) implements DemoFault {
        public Send {
            requireNotNegative(afterMs);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * One well-formed {@code response.output_text.delta} event of {@code bytes} bytes in one text frame, bigger
     * than any event the service sends; then the session goes on.
     */
    record Oversized(long afterMs, int bytes) implements DemoFault {
        public Oversized {
            requireNotNegative(afterMs);
            if (bytes < OVERSIZED_MIN_BYTES) {
                throw new IllegalArgumentException("an oversized event has at least " + OVERSIZED_MIN_BYTES
                        + " bytes, got " + bytes);
            }
        }
    }

    /** The upgrade is answered with HTTP {@code status} (401 for a bad key, 503 when overloaded) and closed. */
    record Refuse(int status) implements DemoFault {
        public Refuse {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a refusal is a 4xx or 5xx status, got " + status);
            }
        }

        @Override
        public long afterMs() {
            return 0;
        }
    }

    /** The upgrade request is read and never answered: the handshake hangs until the client gives up. */
    record Hold() implements DemoFault {
        @Override
        public long afterMs() {
            return 0;
        }
    }

    /** The JSON around an oversized event's padding is shorter than this. */
    int OVERSIZED_MIN_BYTES = 256;

    /** RFC 6455 §7.4.1-7.4.2: 1004 is reserved and 1005, 1006 and 1015 are never sent; 3000-4999 are for apps. */
    private static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private static void requireNotNegative(long afterMs) {
        if (afterMs < 0) {
            throw new IllegalArgumentException("afterMs < 0: " + afterMs);
        }
    }
}
