package gateway.library;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Calls on local disk: {@code <root>/<id>/} with the files the recorder writes. Only plain directories and regular
 * files directly under the root are read: an id is a single safe name, file names are fixed, and symbolic links are
 * never followed, so nothing outside the root can be reached.
 *
 * <p>A delete first renames the directory to a name no id can have ({@value #DELETING_MARK} is not an id
 * character), so readers stop seeing the call at once; listing the ids finishes deletions a crash interrupted.
 */
public final class LocalCallStore implements CallStore {

    private static final System.Logger LOG = System.getLogger(LocalCallStore.class.getName());
    /** Marks a directory being deleted; '~' cannot occur in an id. */
    static final String DELETING_MARK = "~deleting-";
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;

    public LocalCallStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The recordings directory. */
    public Path root() {
        return root;
    }

    @Override
    public List<CallId> ids() throws IOException {
        List<CallId> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.contains(DELETING_MARK)) {
                    finishDeletion(entry);
                } else if (CallId.valid(name) && !hidden(name) && Files.isDirectory(entry, NO_FOLLOW)) {
                    ids.add(new CallId(name));
                }
            }
        }
        return ids;
    }

    /** A hidden directory is the gateway's own (the call events queue), never a call. */
    private static boolean hidden(String name) {
        return name.startsWith(".");
    }

    @Override
    public CallStatus status(CallId id) throws IOException {
        Path dir = dir(id);
        if (!isPlainDirectory(dir)) {
            return CallStatus.ABSENT;
        }
        return regularFile(dir.resolve(CallFile.CALL_JSON.fileName())).isPresent()
                ? CallStatus.FINISHED : CallStatus.IN_PROGRESS;
    }

    @Override
    public Optional<StoredFile> open(CallId id, CallFile file) throws IOException {
        Path dir = dir(id);
        if (!isPlainDirectory(dir)) {
            return Optional.empty();
        }
        Path path = dir.resolve(file.fileName());
        Optional<BasicFileAttributes> attributes = regularFile(path);
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LocalFile(channel, attributes.get()));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public DeleteOutcome delete(CallId id) throws IOException {
        CallStatus status = status(id);
        if (status == CallStatus.ABSENT) {
            return DeleteOutcome.ABSENT;
        }
        if (status == CallStatus.IN_PROGRESS) {
            return DeleteOutcome.IN_PROGRESS;
        }
        if (held(id)) {
            return DeleteOutcome.HELD;
        }
        Path doomed = root.resolve(id.value() + DELETING_MARK + Long.toHexString(System.nanoTime()));
        try {
            Files.move(dir(id), doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return DeleteOutcome.ABSENT;
        }
        removeTree(doomed);
        return DeleteOutcome.DELETED;
    }

    /** Whether the call's directory holds a legal hold file. */
    public boolean held(CallId id) throws IOException {
        return regularFile(dir(id).resolve(CallFile.LEGAL_HOLD.fileName())).isPresent();
    }

    /** Writes the file atomically (a temporary file, forced, then renamed over it). */
    @Override
    public CallStatus write(CallId id, CallFile file, byte[] content) throws IOException {
        requireWritable(file);
        CallStatus status = status(id);
        if (status != CallStatus.FINISHED) {
            return status;
        }
        Path target = dir(id).resolve(file.fileName());
        if (content == null) {
            Files.deleteIfExists(target);
            return status;
        }
        replace(id, file, content);
        return status;
    }

    @Override
    public boolean rewriteCallJson(CallId id, byte[] content) throws IOException {
        if (status(id) != CallStatus.FINISHED) {
            return false;
        }
        replace(id, CallFile.CALL_JSON, content);
        return true;
    }

    /** Replaces one file of a call atomically: a temporary file, forced, then renamed over it. */
    private void replace(CallId id, CallFile file, byte[] content) throws IOException {
        Path temporary = dir(id).resolve(file.fileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(temporary, dir(id).resolve(file.fileName()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Refuses a write of one of the recorder's files, which no store may change after the call. */
    public static void requireWritable(CallFile file) {
        if (!file.writable()) {
            throw new IllegalArgumentException(file.fileName() + " is the recorder's and final");
        }
    }

    /** The directory of a call: always a direct child of the root, because an id is one safe name. */
    private Path dir(CallId id) {
        Path dir = root.resolve(id.value());
        if (!root.equals(dir.getParent())) {
            throw new IllegalStateException("call directory outside the recordings directory");
        }
        return dir;
    }

    private static boolean isPlainDirectory(Path dir) throws IOException {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class, NO_FOLLOW).isDirectory();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static Optional<BasicFileAttributes> regularFile(Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
            return a.isRegularFile() ? Optional.of(a) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The version of the call's call.json as {@link #open} reports it (its size and modification time), or null when
     * the call has none yet; reads only the file's attributes.
     */
    String callJsonVersion(CallId id) throws IOException {
        Optional<BasicFileAttributes> attributes = regularFile(dir(id).resolve(CallFile.CALL_JSON.fileName()));
        return attributes.map(a -> fileVersion(a.size(), a)).orElse(null);
    }

    /** A local file's version: its size and modification time in nanoseconds. */
    private static String fileVersion(long size, BasicFileAttributes attributes) {
        return Long.toHexString(size) + "-" + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    private static void finishDeletion(Path doomed) {
        try {
            removeTree(doomed);
            LOG.log(Level.INFO, "finished deleting {0}, which an earlier run left half-deleted", doomed.getFileName());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot finish deleting {0}: {1}", doomed.getFileName(), e.toString());
        }
    }

    /** Deletes a directory tree without following links (a link is removed, not what it points to). */
    private static void removeTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** An open local file; its version is its size and modification time in nanoseconds. */
    private static final class LocalFile implements StoredFile {
        private final FileChannel channel;
        private final long size;
        private final Instant lastModified;
        private final String version;

        LocalFile(FileChannel channel, BasicFileAttributes attributes) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            this.lastModified = attributes.lastModifiedTime().toInstant();
            this.version = fileVersion(size, attributes);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Instant lastModified() {
            return lastModified;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public Optional<FileChannel> localChannel() {
            return Optional.of(channel);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
