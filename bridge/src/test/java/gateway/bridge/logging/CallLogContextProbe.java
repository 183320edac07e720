package gateway.bridge.logging;

import gateway.transport.CallLogContext;
import java.util.function.Supplier;

/** Runs a piece of a test with a call's ids set. */
final class CallLogContextProbe {

    private CallLogContextProbe() {
    }

    static <T> T within(CallLogContext.Ids ids, Supplier<T> work) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            return work.get();
        } finally {
            CallLogContext.exit(previous);
        }
    }
}
