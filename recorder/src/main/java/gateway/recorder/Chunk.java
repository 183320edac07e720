package gateway.recorder;

/**
 * A pooled copy of some samples of one leg of one call, handed from an event loop to the writer thread.
 * Filled by the producer before it is queued; read by the writer after it is dequeued; then returned to the pool.
 */
final class Chunk {

    /** Samples per chunk: 40 ms at 24 kHz, twice the usual 20 ms packet, so a packet fits one chunk. */
    static final int CAPACITY = 960;

    final short[] samples = new short[CAPACITY];
    CallRecording owner;
    int channel;
    long position;
    int length;
}
