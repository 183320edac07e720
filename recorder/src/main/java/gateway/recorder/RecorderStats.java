package gateway.recorder;

/** What the recorder did for one call: frames in audio.wav and samples or chunks it could not place. */
record RecorderStats(long frames, long lateSamples, long rejectedSamples, long droppedChunks) {
}
