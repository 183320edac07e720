package gateway.bridge.logging;

import gateway.rtp.G711;
import gateway.rtp.MediaListener;
import gateway.transport.CallLogContext;

/** A call's media listener whose callbacks log with the call's ids; allocation-free, as the audio path must be. */
public final class CallScopedMediaListener implements MediaListener {

    private final MediaListener delegate;
    private final CallLogContext.Ids ids;

    /** Hands {@code delegate} every callback with {@code ids} set. */
    public CallScopedMediaListener(MediaListener delegate, CallLogContext.Ids ids) {
        this.delegate = delegate;
        this.ids = ids;
    }

    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            delegate.onCallerAudio(pcm24k, offset, length, position);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public G711 agentLaw() {
        return delegate.agentLaw();
    }

    @Override
    public void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] codes, int codesOffset) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            delegate.onCallerAudio(pcm24k, offset, length, position, codes, codesOffset);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void onCallerNarrowband(short[] pcm8k, int units, G711 law, byte[] octets) {
        delegate.onCallerNarrowband(pcm8k, units, law, octets);
    }

    @Override
    public boolean playoutCodes(byte[] codes, int units) {
        return delegate.playoutCodes(codes, units);
    }

    @Override
    public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
        CallLogContext.Ids previous = CallLogContext.enter(ids);
        try {
            return delegate.nextPlayoutFrame(pcm24k, length, position);
        } finally {
            CallLogContext.exit(previous);
        }
    }

    @Override
    public void onMediaFault(Throwable error) {
        CallLogContext.run(ids, () -> delegate.onMediaFault(error));
    }

    @Override
    public void onMediaTimeout(long silentNanos) {
        CallLogContext.run(ids, () -> delegate.onMediaTimeout(silentNanos));
    }

    /** Counted, never logged: straight through, with no context to set. */
    @Override
    public void onTicksSkipped(long count) {
        delegate.onTicksSkipped(count);
    }

    /** Counted, never logged (the session logs it): straight through. */
    @Override
    public void onSendBusy() {
        delegate.onSendBusy();
    }

    @Override
    public void onCallerDigit(char digit, long position, long durationSamples) {
        CallLogContext.run(ids, () -> delegate.onCallerDigit(digit, position, durationSamples));
    }

    @Override
    public void onDigitSent(char digit, long position, long durationSamples) {
        CallLogContext.run(ids, () -> delegate.onDigitSent(digit, position, durationSamples));
    }
}
