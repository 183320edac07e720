package gateway.library;

/**
 * The files of a finished call that can be read; their names are fixed ({@link RecordingFormat}), so no request
 * names a path.
 */
public enum CallFile {
    AUDIO(RecordingFormat.AUDIO_FILE),
    CALL_JSON(RecordingFormat.CALL_JSON_FILE),
    CAPTIONS_VTT(RecordingFormat.VTT_FILE),
    CAPTIONS_SRT(RecordingFormat.SRT_FILE),
    LEGAL_HOLD(RecordingFormat.LEGAL_HOLD_FILE);

    private final String fileName;

    CallFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * True for a file written after the call by the QA side ({@link CallStore#write}), false for the recorder's own
     * files, which are final once call.json is in place.
     */
    public boolean writable() {
        return this == LEGAL_HOLD;
    }
}
