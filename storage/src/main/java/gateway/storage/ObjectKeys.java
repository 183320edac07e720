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

    /** The call whose folder is {@code folder} (as listed under the prefix), if it names one. */
    Optional<CallId> idOf(String folder) {
        if (!folder.startsWith(prefix) || !folder.endsWith("/")) {
            return Optional.empty();
        }
        return CallId.parse(folder.substring(prefix.length(), folder.length() - 1));
    }
}
