package gateway.realtime;

/**
 * Receives what the Realtime server sends on one connection. Every method runs on the connection's event loop
 * (the loop given to {@link RealtimeClient#connect}); none may block.
 */
public interface RealtimeListener {

    /** Every parsed server event except {@code response.output_audio.delta}. */
    void onEvent(ServerEvent event);

    /**
     * One {@code response.output_audio.delta}, decoded to 24 kHz PCM16. The array is reused for the next delta:
     * copy what you keep before returning.
     */
    void onAudioDelta(String responseId, String itemId, short[] pcm24k, int offset, int length);

    /**
     * One {@code response.output_audio.delta} of a session in a G.711 format ({@link AudioFormat#g711()}): the code
     * octets as the service sent them. The array is reused for the next delta. Only a listener whose session asked
     * for G.711 gets this; the default ignores it.
     */
    default void onAudioCodes(String responseId, String itemId, byte[] codes, int offset, int length) {
    }

    /**
     * The socket is gone, exactly once per opened connection, also after {@link RealtimeConnection#close()}:
     * {@code statusCode} is the WebSocket close code (RFC 6455 §7.4), or -1 when the transport failed without one.
     */
    void onClosed(int statusCode, String reason);
}
