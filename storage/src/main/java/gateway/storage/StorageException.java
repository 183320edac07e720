package gateway.storage;

import java.io.IOException;

/** Object storage could not be reached, refused a request or returned something else than was sent. */
final class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    StorageException(String message) {
        super(message);
    }
}
