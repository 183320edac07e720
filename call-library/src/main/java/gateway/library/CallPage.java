package gateway.library;

import java.util.List;

/**
 * One page of a call list, newest first.
 *
 * @param next where the next page starts, or null when this page is the last
 */
public record CallPage(List<IndexedCall> calls, ListPosition next) {

    public CallPage {
        calls = List.copyOf(calls);
    }
}
