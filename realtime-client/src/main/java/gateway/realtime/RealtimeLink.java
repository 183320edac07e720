package gateway.realtime;

/**
 * One open Realtime session as a call uses it: client events out, input audio out, close. Implemented by
 * {@link RealtimeConnection} over a WebSocket, and by in-memory doubles in tests.
 *
 * <p>Threading: called on the call's event loop, where the session's listener callbacks also run.
 */
public interface RealtimeLink {

    /** Sends one client event; dropped when the link is no longer open. */
    void send(ClientEvent event);

    /**
     * Sends {@code input_audio_buffer.append} with these 24 kHz samples, at once or with the next ones (see
     * {@link #tick}); dropped when the link is not open.
     */
    void appendAudio(short[] pcm24k, int offset, int length);

    /**
     * Sends {@code input_audio_buffer.append} with these G.711 codes, for a session in {@link AudioFormat#PCMU} or
     * {@link AudioFormat#PCMA}; dropped when the link is not open.
     */
    void appendCodes(byte[] codes, int offset, int length);

    /**
     * Audio appended so far, in 24 kHz timeline samples (a G.711 code counts 3): the session's input-audio clock
     * (docs/realtime-protocol.md §5.1).
     */
    long appendedSamples();

    /**
     * One of the call's 20 ms ticks has passed: input audio the link holds back to send in batches goes out once it
     * has waited a batch. A link that sends each append at once does nothing.
     */
    default void tick() {
    }

    /** True until {@link #close()} was called or the session went away. */
    boolean isOpen();

    /** Starts a normal close (1000); the listener still gets {@code onClosed} once. */
    void close();
}
