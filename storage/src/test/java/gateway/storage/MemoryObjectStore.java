package gateway.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bucket in memory for the storage module's unit tests on the manual clock: objects with an ETag that changes
 * with every put, conditional ranged GETs, listings in key order, a switch that makes every request fail as an
 * unreachable server does, and counters of the requests made. Threading: any thread.
 */
final class MemoryObjectStore implements ObjectStore {

    /** One stored object. */
    private record StoredObject(byte[] bytes, String etag, Instant lastModified) {
    }

    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger versions = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    private volatile boolean down;
    /** Run once by the next GET, after it has read the object (a change that races a reader). */
    private volatile Runnable afterNextGet;
    private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

    /** Makes every request fail ({@code true}) or work again. */
    void down(boolean isDown) {
        down = isDown;
    }

    /** Runs {@code action} once, right after the next GET has read its bytes. */
    void afterNextGet(Runnable action) {
        afterNextGet = action;
    }

    /** Stores {@code bytes} as {@code key} directly, as another instance's upload does. */
    void store(String key, byte[] bytes) {
        now = now.plusSeconds(1);
        objects.put(key, new StoredObject(bytes.clone(), "etag-" + versions.incrementAndGet(), now));
    }

    /** Copies a file into the bucket as {@code key}. */
    void store(String key, Path file) {
        try {
            store(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of an object, empty when there is none. */
    Optional<byte[]> bytes(String key) {
        return Optional.ofNullable(objects.get(key)).map(o -> o.bytes().clone());
    }

    void remove(String key) {
        objects.remove(key);
    }

    /** The keys stored, in order. */
    List<String> keys() {
        return new ArrayList<>(objects.keySet());
    }

    @Override
    public void put(String key, Path file, Digest digest) throws StorageException {
        failIfDown("PUT", key);
        store(key, file);
    }

    @Override
    public void put(String key, byte[] content) throws StorageException {
        failIfDown("PUT", key);
        store(key, content);
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StorageException {
        failIfDown("HEAD", key);
        return Optional.ofNullable(objects.get(key))
                .map(o -> new ObjectInfo(o.bytes().length, o.etag(), o.lastModified(), null));
    }

    @Override
    public InputStream get(String key, String etag, long first, long last) throws StorageException {
        failIfDown("GET", key);
        gets.incrementAndGet();
        StoredObject o = objects.get(key);
        if (o == null) {
            throw new StorageException("GET " + key + ": no such object");
        }
        if (!o.etag().equals(etag)) {
            throw new StorageException("GET " + key + ": the object changed since it was opened");
        }
        ByteArrayInputStream in = new ByteArrayInputStream(Arrays.copyOfRange(o.bytes(), (int) first,
                (int) last + 1));
        Runnable action = afterNextGet;
        afterNextGet = null;
        if (action != null) {
            action.run();
        }
        return in;
    }

    @Override
    public void delete(String key) throws StorageException {
        failIfDown("DELETE", key);
        objects.remove(key);
    }

    @Override
    public List<String> childPrefixes(String prefix) throws StorageException {
        failIfDown("LIST", prefix);
        return objects.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(0, k.indexOf('/', prefix.length()) + 1)).distinct().toList();
    }

    @Override
    public void list(String prefix, Consumer<ListedObject> each) throws StorageException {
        failIfDown("LIST", prefix);
        lists.incrementAndGet();
        objects.forEach((key, o) -> {
            if (key.startsWith(prefix)) {
                each.accept(new ListedObject(key, o.bytes().length, o.etag(), o.lastModified()));
            }
        });
    }

    @Override
    public void close() {
    }

    private void failIfDown(String operation, String key) throws StorageException {
        if (down) {
            throw new StorageException(operation + " " + key + " failed: Connection refused");
        }
    }
}
