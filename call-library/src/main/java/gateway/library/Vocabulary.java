package gateway.library;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers the distinct words of all transcripts, so each call keeps small integers instead of strings. Words are
 * only added: an id stays valid for the life of the process. Threading: one adding thread, any number of readers.
 */
final class Vocabulary {

    /** Returned by {@link #idOf} for a word no transcript has. */
    static final int UNKNOWN = -1;

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    /** The word's id, numbering it if new. */
    int add(String word) {
        Integer id = ids.get(word);
        if (id != null) {
            return id;
        }
        int next = ids.size();
        ids.put(word, next);
        return next;
    }

    /** The word's id, or {@link #UNKNOWN}. */
    int idOf(String word) {
        Integer id = ids.get(word);
        return id == null ? UNKNOWN : id;
    }

    int size() {
        return ids.size();
    }
}
