package gateway.qa;

import gateway.library.CallQuery;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The call list's filters ({@code GET /api/calls}'s query parameters, {@link ListParameters}) outside HTTP: the
 * replay command's {@code --filter} takes the same query string and means the same calls.
 */
public final class ListFilter {

    private ListFilter() {
    }

    /**
     * The query of {@code rawQuery}, written as after the {@code ?} of a list request (percent-encoded, '&amp;'
     * between parameters); throws IllegalArgumentException naming the parameter the API would answer 400 for.
     */
    public static CallQuery parse(String rawQuery) {
        try {
            return ListParameters.parse(new QueryStringDecoder(rawQuery, false).parameters());
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
