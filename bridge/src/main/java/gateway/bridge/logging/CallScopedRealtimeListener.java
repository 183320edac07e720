package gateway.bridge.logging;

import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.transport.CallLogContext;

/** A call's Realtime listener whose callbacks log with the call's ids; allocation-free for audio deltas. */
public final class CallScopedRealtimeListener implements RealtimeListener {

    private final RealtimeListener delegate;
    private final CallLogContext.Ids ids;

    /** Hands {@code delegate} every callback with {@code ids} set. */
    public CallScopedRealtimeListener(RealtimeListener delegate, CallLogContext.Ids ids) {
        this.delegate = delegate;
        this.ids = ids;
    }

    @Override
    public void onEvent(ServerEvent event) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            delegate.onEvent(event);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            delegate.onAudioDelta(responseId, itemId, pcm24k, offset, length);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void onAudioCodes(String responseId, String itemId, byte[] codes, int offset, int length) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            delegate.onAudioCodes(responseId, itemId, codes, offset, length);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void onClosed(int statusCode, String reason) {
        CallLogContext.run(ids, () -> delegate.onClosed(statusCode, reason));
    }
}
