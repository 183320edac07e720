package gateway.bridge.call;

/** Told which assistant item each played stretch of audio belonged to, on the call's event loop. */
interface PlayoutObserver {

    /** {@code samples} samples of {@code itemId} were played starting at recording position {@code position}. */
    void played(String responseId, String itemId, long position, int samples);
}
