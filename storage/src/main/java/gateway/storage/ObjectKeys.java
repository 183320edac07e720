package gateway.storage;

import gateway.library.CallFile;
import gateway.library.CallId;
import java.util.Optional;

/**
 * Where a call's files go in the bucket: {@code <prefix><id>/<file name>},
 * e.g. {@code gw1/20261123T180102Z-9f3a1c2e/audio.wav}.
 * The prefix is empty or ends in '/', and an id is one safe name, so keys never collide or climb.
 */
record ObjectKeys(String prefix) {

    String key(CallId id, CallFile file) {
        return callPrefix(id) + file.fileName();
    }

    /** The "folder" of a call: {@code <prefix><id>/}. */
    String callPrefix(CallId id) {
        return prefix + id.value() + "/";
    }

    /** A call's file as a key names it. */
    record CallObject(CallId id, CallFile file) {
    }

    /** The call and file {@code key} names (as listed under the prefix), if it names one of a call's files. */
    Optional<CallObject> parse(String key) {
        int slash = key.lastIndexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String name = key.substring(slash + 1);
        Optional<CallId> id = idOf(key.substring(0, slash + 1));
        for (CallFile file : CallFile.values()) {
            if (file.fileName().equals(name)) {
                return id.map(callId -> new CallObject(callId, file));
            }
        }
        return Optional.empty();
    }

    /** The call whose folder is {@code folder} (as listed under the prefix), if it names one. */
    Optional<CallId> idOf(String folder) {
        if (!folder.startsWith(prefix) || !folder.endsWith("/")) {
            return Optional.empty();
        }
        return CallId.parse(folder.substring(prefix.length(), folder.length() - 1));
    }
}
