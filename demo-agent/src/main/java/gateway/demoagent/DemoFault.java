package gateway.demoagent;

/**
 * A scripted end for one connection of the demo agent ({@link DemoScript#expireAfterMs},
 * {@link DemoScript#closeAfterMs}, {@link DemoScript#dropAfterMs}), {@link #afterMs()} after its WebSocket upgrade.
 */
public sealed interface DemoFault {

    /** When the fault strikes, in ms after the upgrade. */
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
