package gateway.qa;

/** The {@code error.code} values of the API's JSON errors. */
final class ErrorCodes {

    static final String BAD_REQUEST = "bad_request";
    static final String INVALID_PATH = "invalid_path";
    static final String INVALID_ID = "invalid_id";
    static final String INVALID_PARAMETER = "invalid_parameter";
    static final String UNKNOWN_PARAMETER = "unknown_parameter";
    static final String INVALID_CURSOR = "invalid_cursor";
    static final String UNAUTHORIZED = "unauthorized";
    static final String FORBIDDEN = "forbidden";
    static final String ADMIN_ONLY = "admin_only";
    static final String SHARE_INVALID = "share_link_invalid";
    static final String NOT_FOUND = "not_found";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String CALL_IN_PROGRESS = "call_in_progress";
    static final String LEGAL_HOLD = "legal_hold";
    static final String REQUEST_TOO_LARGE = "request_too_large";
    static final String RANGE_NOT_SATISFIABLE = "range_not_satisfiable";
    static final String INTERNAL_ERROR = "internal_error";
    static final String INDEX_BUILDING = "index_building";
    static final String BUSY = "busy";
    static final String NOT_ANSWERED = "not_answered";
    static final String CALL_NOT_ACTIVE = "call_not_active";
    static final String INVALID_BODY = "invalid_body";
    static final String NO_SCORECARD = "no_scorecard";
    static final String NOT_YOURS = "not_yours";
    static final String TOO_MANY_CALLS = "too_many_calls";

    private ErrorCodes() {
    }
}
