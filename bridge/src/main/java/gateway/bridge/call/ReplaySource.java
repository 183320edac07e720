package gateway.bridge.call;

import gateway.library.CallId;
import gateway.library.CallJson;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.RecordingFormat;
import gateway.library.Role;
import gateway.library.WavCodec;
import gateway.library.WavLayout;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a replay takes from a finished recording: its call.json and the caller channel of its audio.wav (24 kHz,
 * sample 0 the answer), read through the recording format's codecs. The files are only read.
 *
 * @param original the recorded call
 * @param caller   its caller channel
 */
public record ReplaySource(CallRecord original, short[] caller) {

    /** A recorded call that cannot be replayed: the message names it and says why. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** The original's metadata. */
    public CallMetadata meta() {
        return original.meta();
    }

    /** Reads call {@code id} under {@code recordings}; throws when there is none or its files cannot be used. */
    public static ReplaySource load(Path recordings, String id) throws Unusable {
        if (!CallId.valid(id)) {
            throw new Unusable("call " + id + ": not a call id");
        }
        Path dir = recordings.resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new Unusable("call " + id + ": no such call in " + recordings);
        }
        CallRecord record;
        try {
            record = CallJson.read(Files.readAllBytes(dir.resolve(RecordingFormat.CALL_JSON_FILE)));
        } catch (NoSuchFileException e) {
            throw new Unusable("call " + id + ": not finished (no " + RecordingFormat.CALL_JSON_FILE + ")");
        } catch (IOException e) {
            throw new Unusable("call " + id + ": " + RecordingFormat.CALL_JSON_FILE + " is unreadable: "
                    + e.getMessage());
        }
        return new ReplaySource(record, callerChannel(dir.resolve(RecordingFormat.AUDIO_FILE), id));
    }

    /** The caller channel of a recording's audio.wav, mapped rather than read whole onto the heap. */
    private static short[] callerChannel(Path wav, String id) throws Unusable {
        try (FileChannel file = FileChannel.open(wav, StandardOpenOption.READ)) {
            MappedByteBuffer bytes = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size());
            WavLayout layout = WavCodec.layout(bytes, file.size());
            if (layout.sampleRate() != RecordingFormat.SAMPLE_RATE || layout.channels() != RecordingFormat.CHANNELS) {
                throw new IOException("not a recording: " + layout.channels() + " channels at " + layout.sampleRate()
                        + " Hz, not " + RecordingFormat.CHANNELS + " at " + RecordingFormat.SAMPLE_RATE);
            }
            return WavCodec.channel(bytes, layout, Role.CALLER.channel());
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new Unusable("call " + id + ": " + RecordingFormat.AUDIO_FILE + " is unreadable: " + e.getMessage());
        }
    }
}
