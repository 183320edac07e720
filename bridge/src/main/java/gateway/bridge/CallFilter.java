package gateway.bridge;

import gateway.library.CallLibrary;
import gateway.library.CallQuery;
import gateway.library.IndexedCall;
import gateway.library.LocalCallStore;
import gateway.qa.ListFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The calls of a recordings directory that the QA API's list filters select ({@link ListFilter}): the replay
 * command's {@code --filter}. The directory is indexed as the QA API indexes it; the query's {@code limit} (default
 * 50, at most 500) and {@code sort} apply, so one page of the list is what is replayed.
 */
final class CallFilter {

    /** A filter the list API would refuse, or a directory that cannot be indexed; the message says which. */
    static final class BadFilter extends Exception {
        private static final long serialVersionUID = 1L;

        BadFilter(String message) {
            super(message, null, false, false);
        }
    }

    private CallFilter() {
    }

    /** The ids {@code rawQuery} selects under {@code recordings}, in the list's order. */
    static List<String> select(Path recordings, String rawQuery) throws BadFilter, InterruptedException {
        CallQuery query;
        try {
            query = ListFilter.parse(rawQuery.startsWith("?") ? rawQuery.substring(1) : rawQuery);
        } catch (IllegalArgumentException e) {
            throw new BadFilter("--filter: " + e.getMessage());
        }
        if (!Files.isDirectory(recordings)) {
            throw new BadFilter("--filter: no recordings directory " + recordings);
        }
        try (CallLibrary library = CallLibrary.open(new LocalCallStore(recordings))) {
            library.built().get();
            List<String> ids = library.list(query).orElseThrow().calls().stream().map(IndexedCall::id).toList();
            if (ids.isEmpty()) {
                throw new BadFilter("--filter: no call in " + recordings + " matches " + rawQuery);
            }
            return ids;
        } catch (ExecutionException e) {
            throw new BadFilter("--filter: cannot index " + recordings + ": " + e.getCause());
        }
    }
}
