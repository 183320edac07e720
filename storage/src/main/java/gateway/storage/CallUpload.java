package gateway.storage;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallJson;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Uploads one finished call: hashes its files, records the checksums in call.json ({@link CallJson#withFiles}), puts
 * audio and captions and then call.json last (so the bucket never shows a call.json whose files are missing),
 * writes storage.json ({@link UploadRecord}) once every object is verified and, unless the local copy is kept,
 * removes the local audio and captions. call.json and storage.json stay on local disk: the index is rebuilt from
 * them at start without a request to storage. A failure at any step leaves the call pending; running it again
 * redoes it whole, and a put of the same bytes is harmless. Threading: the uploader's thread; the call's
 * {@link CallLocks lock} keeps a delete out meanwhile.
 */
final class CallUpload {

    private static final System.Logger LOG = System.getLogger(CallUpload.class.getName());
    /** Uploaded first, in this order; call.json comes after them. */
    static final List<CallFile> CONTENT = List.of(CallFile.AUDIO, CallFile.CAPTIONS_VTT, CallFile.CAPTIONS_SRT);
    /** Local files removed after a verified upload when the local copy is not kept. */
    static final List<CallFile> REMOVABLE = CONTENT;

    /** What an attempt did. */
    sealed interface Result {
        /** Every object is stored and verified; {@code bytes} were sent. */
        record Uploaded(long bytes) implements Result { }
        /** Nothing to do: the call was uploaded before, deleted, or is not finished. */
        record Skipped(String why) implements Result { }
    }

    private final Path root;
    private final ObjectStore store;
    private final String bucket;
    private final ObjectKeys keys;
    private final CallLocks locks;
    private final boolean keepLocal;
    private final InstantSource wallClock;

    CallUpload(Path root, ObjectStore store, String bucket, ObjectKeys keys, CallLocks locks, boolean keepLocal,
               InstantSource wallClock) {
        this.root = root;
        this.store = store;
        this.bucket = bucket;
        this.keys = keys;
        this.locks = locks;
        this.keepLocal = keepLocal;
        this.wallClock = wallClock;
    }

    /**
     * Uploads {@code id}. Throws {@link StorageException} when storage failed (retry later) and another
     * IOException when the local files could not be read or written.
     */
    Result upload(CallId id) throws IOException {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            return uploadLocked(id);
        } finally {
            lock.unlock();
        }
    }

    private Result uploadLocked(CallId id) throws IOException {
        Path dir = root.resolve(id.value());
        if (!Files.isDirectory(dir)) {
            return new Result.Skipped("deleted");
        }
        Optional<UploadRecord> done = UploadRecord.read(dir);
        if (done.isPresent()) {
            return keepLocal ? new Result.Skipped("already uploaded") : removeLocal(id, dir, done.get());
        }
        Path callJsonFile = dir.resolve(CallFile.CALL_JSON.fileName());
        byte[] callJson;
        try {
            callJson = Files.readAllBytes(callJsonFile);
        } catch (NoSuchFileException e) {
            return new Result.Skipped(Files.isDirectory(dir) ? "not finished" : "deleted");
        }
        Map<CallFile, Digest> digests = new EnumMap<>(CallFile.class);
        for (CallFile file : CONTENT) {
            Path path = dir.resolve(file.fileName());
            if (Files.isRegularFile(path)) {
                digests.put(file, Digest.of(path));
            }
        }
        Map<CallFile, CallJson.FileChecksum> checksums = new EnumMap<>(CallFile.class);
        digests.forEach((file, digest) -> checksums.put(file, digest.checksum()));
        byte[] withChecksums = CallJson.withFiles(callJson, checksums);
        if (withChecksums != callJson) {
            AtomicFiles.write(callJsonFile, withChecksums);
        }
        Map<CallFile, UploadRecord.StoredObject> stored = new EnumMap<>(CallFile.class);
        long bytes = 0;
        for (Map.Entry<CallFile, Digest> e : digests.entrySet()) {
            bytes += put(id, dir, e.getKey(), e.getValue(), stored);
        }
        bytes += put(id, dir, CallFile.CALL_JSON, Digest.of(withChecksums), stored);
        AtomicFiles.write(dir.resolve(UploadRecord.FILE_NAME),
                new UploadRecord(bucket, wallClock.instant(), stored).toJson());
        if (!keepLocal) {
            for (CallFile file : REMOVABLE) {
                Files.deleteIfExists(dir.resolve(file.fileName()));
            }
        }
        LOG.log(Level.INFO, "call {0} uploaded to {1}/{2} ({3} bytes{4})", id, bucket, keys.callPrefix(id), bytes,
                keepLocal ? "" : "; local audio and captions removed");
        return new Result.Uploaded(bytes);
    }

    /** True when the call in {@code dir} is finished and waits for an upload or for its local copy's removal. */
    boolean pending(Path dir) {
        if (!Files.exists(dir.resolve(CallFile.CALL_JSON.fileName()))) {
            return false;
        }
        if (!Files.exists(dir.resolve(UploadRecord.FILE_NAME))) {
            return true;
        }
        return !keepLocal && REMOVABLE.stream().anyMatch(f -> Files.exists(dir.resolve(f.fileName())));
    }

    /**
     * Removes local files an earlier run uploaded but did not remove (it stopped in between, or keep-local was true
     * then), each only when it still has the bytes that were uploaded.
     */
    private Result removeLocal(CallId id, Path dir, UploadRecord record) throws IOException {
        for (CallFile file : REMOVABLE) {
            Path path = dir.resolve(file.fileName());
            UploadRecord.StoredObject stored = record.objects().get(file);
            if (!Files.exists(path)) {
                continue;
            }
            if (stored != null && stored.digest().equals(Digest.of(path))) {
                Files.delete(path);
            } else {
                LOG.log(Level.WARNING, "call {0}: local {1} differs from the uploaded object; kept", id,
                        file.fileName());
            }
        }
        return new Result.Skipped("uploaded before; local copy removed");
    }

    private long put(CallId id, Path dir, CallFile file, Digest digest,
                     Map<CallFile, UploadRecord.StoredObject> stored) throws IOException {
        String key = keys.key(id, file);
        store.put(key, dir.resolve(file.fileName()), digest);
        stored.put(file, new UploadRecord.StoredObject(key, digest));
        return digest.bytes();
    }
}
