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
    LEGAL_HOLD(RecordingFormat.LEGAL_HOLD_FILE),
    REVIEW(RecordingFormat.REVIEW_FILE);

    private final String fileName;

    CallFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * Whether this is a file written about a call after it ended (its legal hold, its review), kept on local disk
     * beside call.json and changed through {@link CallStore#write}; the recording's own files never are.
     */
    public boolean annotation() {
        return this == LEGAL_HOLD || this == REVIEW;
    }
}
