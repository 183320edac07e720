package gateway.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A bucket seen as keys and bytes. Every method blocks on the network and throws {@link StorageException} when
 * storage is unreachable or refuses; callers run it on their own threads, never on an event loop. Threading: any
 * thread, concurrently.
 */
interface ObjectStore extends AutoCloseable {

    /** Uploads {@code file}, which has {@code digest}; returns only once the stored object is known to match it. */
    void put(String key, Path file, Digest digest) throws StorageException;

    /** Stores {@code content} (a small file the QA side writes) as {@code key}; returns once it is known to match. */
    void put(String key, byte[] content) throws StorageException;

    /** The object's size, tag and checksum; empty when there is no such object. */
    Optional<ObjectInfo> head(String key) throws StorageException;

    /** Bytes {@code first} to {@code last} (inclusive) of the object, as long as its tag is still {@code etag}. */
    InputStream get(String key, String etag, long first, long last) throws StorageException;

    /** Removes the object; removing one that is not there succeeds. */
    void delete(String key) throws StorageException;

    /** The next level of "folders" under {@code prefix}: each a prefix ending in '/'. */
    List<String> childPrefixes(String prefix) throws StorageException;

    /**
     * Every object whose key starts with {@code prefix}, in key order (so a call's files come together), handed to
     * {@code each} page by page as the listing arrives; fails part-way when storage does.
     */
    void list(String prefix, Consumer<ListedObject> each) throws StorageException;

    @Override
    void close();
}
