package gateway.library;

/**
 * What the recorder did for one call: frames in audio.wav, samples it could not place (late, or at a position
 * outside the recording), samples it lost because the call's buffer was full, and the writes (20 ms packets) that
 * lost some.
 */
public record RecorderStats(long frames, long lateSamples, long rejectedSamples, long lostSamples,
                            long droppedWrites) {
}
