package gateway.rtp;

/**
 * The bridge's side of one call's media leg. Both methods are called on the call's event loop only and must not
 * block; the arrays are the loop's scratch, reused by every call on it, so copy what you keep before returning.
 */
public interface MediaListener {

    /**
     * Caller audio, decoded and up-sampled to 24 kHz (delayed by {@link Upsampler8kTo24k#delaySamples24k()}).
     * Lost packets and timeline holes up to {@link InboundAudioPath#MAX_GAP_FILL_SAMPLES_24K} arrive as silence.
     * Positions only go forward: each piece starts at or after the end of the one before (a new stream included),
     * so the recording may treat everything before the end of a piece as final.
     *
     * @param position sample index of pcm24k[offset] on the call's 24 kHz timeline (0 = the answer instant)
     */
    void onCallerAudio(short[] pcm24k, int offset, int length, long position);

    /**
     * The G.711 law in which the agent hears the caller and speaks ({@code realtime.audio-format} pcmu or pcma), or
     * null when it takes 24 kHz PCM alone (the default). Asked per packet and per tick; keep it constant per call.
     */
    default G711 agentLaw() {
        return null;
    }

    /**
     * Caller audio as {@link #onCallerAudio(short[], int, int, long)}, with the same span in {@link #agentLaw()}:
     * {@code codes[codesOffset, codesOffset + length / 3)}, one octet per RTP unit. They are the caller's own
     * octets when its packet carried that law and was not touched by concealment; else the 8 kHz audio encoded in
     * that law. Called instead of the four-argument method while {@link #agentLaw()} is not null; the default hands
     * on the 24 kHz audio alone.
     */
    default void onCallerAudio(short[] pcm24k, int offset, int length, long position, byte[] codes, int codesOffset) {
        onCallerAudio(pcm24k, offset, length, position);
    }

    /**
     * For a G.711 stream, just before each {@code onCallerAudio}: the 8 kHz audio its 24 kHz samples were taken up
     * from, {@code pcm8k[0, units)}, one sample per RTP unit, fed to the {@link Upsampler8kTo24k} in this order (the
     * same history makes the same 24 kHz samples). {@code law} is the stream's law when the samples are the decoding
     * of the caller's own octets {@code octets[0, units)} (untouched by concealment), else null (concealment, comfort
     * noise, silence), and {@code octets} then holds nothing of this piece. Not called for G.722.
     */
    default void onCallerNarrowband(short[] pcm8k, int units, G711 law, byte[] octets) {
    }

    /**
     * Asks for the next 20 ms of agent audio. The array is zeroed; fill the first {@code length} samples. Called at
     * every tick, also while nothing is sent (hold, no remote address yet), so the call's timeline runs on.
     *
     * @param position the frame's first sample on the same 24 kHz timeline (tick index × 480, shifted when a
     *                 talkspurt started early, see {@link RtpSession#playoutReady()})
     * @return true if the frame holds agent audio, false for silence (the frame is then sent as silence)
     */
    boolean nextPlayoutFrame(short[] pcm24k, int length, long position);

    /**
     * Right after {@link #nextPlayoutFrame} returned true, while {@link #agentLaw()} is not null: the same frame as
     * the agent sent it, {@code units} octets in that law ({@code codes} holds that law's silence; overwrite what
     * the agent said). True when the frame's audio came whole from the agent's octets (sent on without re-encoding
     * when the call's codec is that law); false when it did not (an announcement in 24 kHz PCM), and the frame is
     * encoded from the 24 kHz samples. The default says false.
     */
    default boolean playoutCodes(byte[] codes, int units) {
        return false;
    }

    /**
     * This session failed: an exception escaped its packet or tick handling (the listener's own callbacks
     * included). The session has stopped itself (no more ticks, packets dropped, nothing sent) and reports it once,
     * on the loop, possibly from inside {@link RtpSession#playoutReady()}; close it. Other sessions on the loop and
     * its pacing wheel are unaffected. What this method throws is logged, never propagated.
     */
    void onMediaFault(Throwable error);

    /**
     * The caller sent neither RTP nor RTCP for the session's inactivity timeout while the stream was expected to
     * flow (not on hold, not before an answer to our offer): reported once, on the loop. The default ignores it.
     *
     * @param silentNanos how long nothing came
     */
    default void onMediaTimeout(long silentNanos) {
    }

    /**
     * The loop stalled past the pacer's catch-up limit and {@code count} of this session's ticks were skipped:
     * nothing was sent for them and the RTP timestamp jumps. Reported on the loop as it happens, so a counter fed
     * from here moves at the stall, not at the end of the call. The default ignores it.
     */
    default void onTicksSkipped(long count) {
    }

    /**
     * A tick's packet was not sent because the previous one was still queued in the socket; on the loop, as it
     * happens. The default ignores it.
     */
    default void onSendBusy() {
    }

    /**
     * The caller pressed a key, sent as an RFC 4733 telephone-event: reported once per event, on the loop, when it
     * ended (or was found to have ended). The default ignores it.
     *
     * @param digit           0-9, *, #, A-D
     * @param position        the arrival of the event's first packet on the 24 kHz timeline
     * @param durationSamples how long the key was held, in 24 kHz samples
     */
    default void onCallerDigit(char digit, long position, long durationSamples) {
    }

    /**
     * A key press the session started sending ({@link RtpSession#sendDigits}), on the loop, at the tick that sends
     * its first packet. The default ignores it.
     *
     * @param position        the tick's first sample on the 24 kHz timeline
     * @param durationSamples how long the key is held, in 24 kHz samples
     */
    default void onDigitSent(char digit, long position, long durationSamples) {
    }
}
