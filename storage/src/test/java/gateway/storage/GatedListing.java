package gateway.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real store whose listings wait at a gate: {@link #listing} opens when a listing starts, and the listing goes on
 * once {@link #release} is counted down (or after a minute, so a failing test cannot hang). Everything else goes
 * straight to the store.
 */
final class GatedListing implements ObjectStore {

    final CountDownLatch listing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final ObjectStore store;

    GatedListing(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void list(String prefix, Consumer<ListedObject> each) throws StorageException {
        listing.countDown();
        try {
            release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.list(prefix, each);
    }

    @Override
    public void put(String key, Path file, Digest digest) throws StorageException {
        store.put(key, file, digest);
    }

    @Override
    public void put(String key, byte[] content) throws StorageException {
        store.put(key, content);
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StorageException {
        return store.head(key);
    }

    @Override
    public InputStream get(String key, String etag, long first, long last) throws StorageException {
        return store.get(key, etag, first, last);
    }

    @Override
    public void delete(String key) throws StorageException {
        store.delete(key);
    }

    @Override
    public List<String> childPrefixes(String prefix) throws StorageException {
        return store.childPrefixes(prefix);
    }

    @Override
    public void close() {
        store.close();
    }
}
