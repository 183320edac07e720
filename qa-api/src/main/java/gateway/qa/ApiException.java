package gateway.qa;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses: the status, a stable machine code and a sentence for people, sent as a JSON error. */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String code;

    ApiException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, message);
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
