package gateway.bridge.call;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallJson;
import gateway.library.CallMetadata;
import gateway.library.CallRecord;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.library.RecordingFormat;
import gateway.library.Role;
import gateway.library.StoredFile;
import gateway.library.WavCodec;
import gateway.library.WavLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

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
        return load(new LocalCallStore(recordings), id, recordings.toString());
    }

    /**
     * Reads call {@code id} from {@code store} (local disk, or a bucket when only it holds the call), named
     * {@code where} in messages; throws when there is none or its files cannot be used.
     */
    public static ReplaySource load(CallStore store, String id, String where) throws Unusable {
        if (!CallId.valid(id)) {
            throw new Unusable("call " + id + ": not a call id");
        }
        CallId callId = new CallId(id);
        CallRecord record;
        try {
            CallStatus status = store.status(callId);
            if (status == CallStatus.ABSENT) {
                throw new Unusable("call " + id + ": no such call in " + where);
            }
            Optional<StoredFile> json = store.open(callId, CallFile.CALL_JSON);
            if (status == CallStatus.IN_PROGRESS || json.isEmpty()) {
                throw new Unusable("call " + id + ": not finished (no " + RecordingFormat.CALL_JSON_FILE + ")");
            }
            try (StoredFile file = json.get()) {
                record = CallJson.read(file.readAll());
            }
        } catch (IOException e) {
            throw new Unusable("call " + id + ": " + RecordingFormat.CALL_JSON_FILE + " is unreadable: "
                    + e.getMessage());
        }
        return new ReplaySource(record, callerChannel(store, callId));
    }

    /**
     * The caller channel of a recording's audio.wav: mapped rather than read whole onto the heap when it is on local
     * disk, read whole from a bucket.
     */
    private static short[] callerChannel(CallStore store, CallId id) throws Unusable {
        try {
            Optional<StoredFile> audio = store.open(id, CallFile.AUDIO);
            if (audio.isEmpty()) {
                throw new NoSuchFileException(RecordingFormat.AUDIO_FILE);
            }
            try (StoredFile file = audio.get()) {
                Optional<FileChannel> local = file.localChannel();
                if (local.isPresent()) {
                    try (FileChannel channel = local.get()) {
                        return callerChannel(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()),
                                channel.size());
                    }
                }
                return callerChannel(ByteBuffer.wrap(file.readAll()), file.size());
            }
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new Unusable("call " + id + ": " + RecordingFormat.AUDIO_FILE + " is unreadable: " + e.getMessage());
        }
    }

    private static short[] callerChannel(ByteBuffer bytes, long size) throws IOException {
        WavLayout layout = WavCodec.layout(bytes, size);
        if (layout.sampleRate() != RecordingFormat.SAMPLE_RATE || layout.channels() != RecordingFormat.CHANNELS) {
            throw new IOException("not a recording: " + layout.channels() + " channels at " + layout.sampleRate()
                    + " Hz, not " + RecordingFormat.CHANNELS + " at " + RecordingFormat.SAMPLE_RATE);
        }
        return WavCodec.channel(bytes, layout, Role.CALLER.channel());
    }
}
