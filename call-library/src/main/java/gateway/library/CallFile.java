package gateway.library;

/** The files of a finished call that can be read; their names are fixed, so no request names a path. */
public enum CallFile {
    AUDIO("audio.wav"),
    CALL_JSON("call.json"),
    CAPTIONS_VTT("captions.vtt"),
    CAPTIONS_SRT("captions.srt");

    /** Written while the call runs and removed once call.json is in place. */
    static final String PARTIAL_JSON = "call.json.partial";

    private final String fileName;

    CallFile(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
