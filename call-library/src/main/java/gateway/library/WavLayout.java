package gateway.library;

/**
 * Where the samples of a PCM16 WAV file are, as {@link WavCodec#layout} finds them: its format and the offset and
 * length of its data chunk.
 *
 * @param dataBytes whole frames of the data chunk present in the file: the declared size, cut to the file's length
 */
public record WavLayout(int channels, int sampleRate, int blockAlign, long dataOffset, long dataBytes) {

    /** Frames in the data chunk. */
    public long frames() {
        return dataBytes / blockAlign;
    }
}
