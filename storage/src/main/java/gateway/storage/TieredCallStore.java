package gateway.storage;

import gateway.library.CallFile;
import gateway.library.CallId;
import gateway.library.CallStatus;
import gateway.library.CallStore;
import gateway.library.LocalCallStore;
import gateway.library.StoredFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls on local disk and in the bucket, served alike: a file is read from disk when it is there, else from the
 * object its storage.json names (the local copy was removed after upload), else, for a call only the bucket holds
 * (a lost or new disk, or another gateway's call), from its default key. Deletes remove the objects, then the local
 * folder; a legal hold, on disk or in the bucket, keeps both.
 *
 * <p>Threading: any thread; every method may block on disk or network, so none runs on an event loop. A delete
 * takes the call's {@link CallLocks lock}, so it waits for an upload of the same call to finish.
 */
final class TieredCallStore implements CallStore {

    /**
     * Deleted in this order: content and the review first and call.json last, so an interrupted delete leaves a
     * listed call.
     */
    private static final List<CallFile> DELETE_ORDER = List.of(CallFile.AUDIO, CallFile.CAPTIONS_VTT,
            CallFile.CAPTIONS_SRT, CallFile.REVIEW, CallFile.CALL_JSON);

    private final LocalCallStore local;
    private final ObjectStore store;
    private final ObjectKeys keys;
    private final CallLocks locks;

    TieredCallStore(LocalCallStore local, ObjectStore store, ObjectKeys keys, CallLocks locks) {
        this.local = local;
        this.store = store;
        this.keys = keys;
        this.locks = locks;
    }

    /**
     * The local calls. The calls only the bucket holds come into the index through {@link BucketRefresh}, which
     * knows what changed since its last listing.
     */
    @Override
    public List<CallId> ids() throws IOException {
        return local.ids();
    }

    @Override
    public CallStatus status(CallId id) throws IOException {
        CallStatus status = local.status(id);
        if (status != CallStatus.ABSENT) {
            return status;
        }
        return store.head(keys.key(id, CallFile.CALL_JSON)).isPresent() ? CallStatus.FINISHED : CallStatus.ABSENT;
    }

    @Override
    public Optional<StoredFile> open(CallId id, CallFile file) throws IOException {
        Optional<StoredFile> onDisk = local.open(id, file);
        if (onDisk.isPresent() || (file.writable() && local.status(id) != CallStatus.ABSENT)) {
            return onDisk;
        }
        Optional<String> key = remoteKey(id, file);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<ObjectInfo> info = store.head(key.get());
        return info.map(i -> new RemoteFile(store, key.get(), i));
    }

    /**
     * Writes the file beside a local call (and, once the call is uploaded, in the bucket first, so other instances
     * see it too), or in the bucket alone for a call only the bucket holds. A bucket that refuses fails the write
     * before anything local changes.
     */
    @Override
    public CallStatus write(CallId id, CallFile file, byte[] content) throws IOException {
        LocalCallStore.requireWritable(file);
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            CallStatus status = local.status(id);
            if (status == CallStatus.IN_PROGRESS) {
                return status;
            }
            boolean inBucket = status == CallStatus.ABSENT
                    ? store.head(keys.key(id, CallFile.CALL_JSON)).isPresent()
                    : UploadRecord.read(local.root().resolve(id.value())).isPresent();
            if (inBucket) {
                if (content == null) {
                    store.delete(keys.key(id, file));
                } else {
                    store.put(keys.key(id, file), content);
                }
            }
            if (status == CallStatus.FINISHED) {
                return local.write(id, file, content);
            }
            return inBucket ? CallStatus.FINISHED : CallStatus.ABSENT;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rewrites the call.json of a call on this instance's disk. Before its upload only the local file changes (the
     * upload takes the new one); after it, the object at the key storage.json names first, then the local file and
     * storage.json's digest of it, so bucket, disk and record agree. A call only the bucket holds is another
     * instance's (or a lost disk's): false, nothing changed. Under the call's lock, so an upload or a delete of the
     * same call waits.
     */
    @Override
    public boolean rewriteCallJson(CallId id, byte[] content) throws IOException {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            if (local.status(id) != CallStatus.FINISHED) {
                return false;
            }
            Path dir = local.root().resolve(id.value());
            Optional<UploadRecord> uploaded = UploadRecord.read(dir);
            if (uploaded.isEmpty()) {
                return local.rewriteCallJson(id, content);
            }
            UploadRecord record = uploaded.get();
            UploadRecord.StoredObject stored = record.objects().get(CallFile.CALL_JSON);
            String key = stored == null ? keys.key(id, CallFile.CALL_JSON) : stored.key();
            store.put(key, content);
            Map<CallFile, UploadRecord.StoredObject> objects = new EnumMap<>(CallFile.class);
            objects.putAll(record.objects());
            objects.put(CallFile.CALL_JSON, new UploadRecord.StoredObject(key, Digest.of(content)));
            local.rewriteCallJson(id, content);
            AtomicFiles.write(dir.resolve(UploadRecord.FILE_NAME),
                    new UploadRecord(record.bucket(), record.uploadedAt(), objects).toJson());
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeleteOutcome delete(CallId id) throws IOException {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            CallStatus status = local.status(id);
            if (status == CallStatus.IN_PROGRESS) {
                return DeleteOutcome.IN_PROGRESS;
            }
            if (status == CallStatus.ABSENT) {
                if (store.head(keys.key(id, CallFile.CALL_JSON)).isEmpty()) {
                    return DeleteOutcome.ABSENT;
                }
                if (heldInBucket(id)) {
                    return DeleteOutcome.HELD;
                }
                deleteObjects(id, Optional.empty());
                return DeleteOutcome.DELETED;
            }
            if (local.held(id)) {
                return DeleteOutcome.HELD;
            }
            Optional<UploadRecord> record = UploadRecord.read(local.root().resolve(id.value()));
            if (record.isPresent() && heldInBucket(id)) {
                return DeleteOutcome.HELD;
            }
            deleteObjects(id, record);
            return local.delete(id);
        } finally {
            lock.unlock();
        }
    }

    /** Whether another instance placed a legal hold on the call in the bucket. */
    private boolean heldInBucket(CallId id) throws StorageException {
        return store.head(keys.key(id, CallFile.LEGAL_HOLD)).isPresent();
    }

    /**
     * Deletes the keys storage.json names (an earlier prefix may differ) and the default ones, which an interrupted
     * upload may have left.
     */
    private void deleteObjects(CallId id, Optional<UploadRecord> record) throws StorageException {
        for (CallFile file : DELETE_ORDER) {
            String defaultKey = keys.key(id, file);
            UploadRecord.StoredObject recorded = record.map(r -> r.objects().get(file)).orElse(null);
            if (recorded != null && !recorded.key().equals(defaultKey)) {
                store.delete(recorded.key());
            }
            store.delete(defaultKey);
        }
    }

    /** Where {@code file} of a call not on disk is: per its storage.json, or the default key without a local folder. */
    private Optional<String> remoteKey(CallId id, CallFile file) throws IOException {
        if (local.status(id) == CallStatus.ABSENT) {
            return Optional.of(keys.key(id, file));
        }
        return UploadRecord.read(local.root().resolve(id.value()))
                .map(r -> r.objects().get(file)).map(UploadRecord.StoredObject::key);
    }
}
