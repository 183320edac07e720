package gateway.bridge;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the recordings directory can take a new call: it is a writable directory and its disk has at least
 * {@code recordings.min-free-mb} free. Admission refuses new calls and the readiness probe says why while it cannot.
 *
 * <p>Threading: {@link #check} makes file system calls, which may hang on a sick disk, so it runs on the readiness
 * thread, never on an event loop; the answers are volatile flags, cheap from any thread.
 */
final class RecordingsDisk {

    private static final Logger LOG = System.getLogger(RecordingsDisk.class.getName());
    /** Below a megabyte a disk is full whatever the floor: not a second of a few calls' audio fits. */
    static final long FULL_BYTES = 1L << 20;
    private static final long BYTES_PER_MB = 1L << 20;

    private final Path dir;
    private final long minFreeBytes;
    private volatile boolean writable = true;
    private volatile boolean full;
    private volatile long freeBytes = -1;

    RecordingsDisk(Path dir, long minFreeBytes) {
        this.dir = dir;
        this.minFreeBytes = Math.max(minFreeBytes, FULL_BYTES);
    }

    /** Looks at the directory and its disk now, and logs a change. */
    void check() {
        boolean nowWritable = Files.isDirectory(dir) && Files.isWritable(dir);
        if (nowWritable != writable) {
            LOG.log(nowWritable ? Level.INFO : Level.ERROR, "Recordings directory {0} is {1}writable", dir,
                    nowWritable ? "" : "not ");
        }
        writable = nowWritable;
        long free;
        try {
            free = nowWritable ? Files.getFileStore(dir).getUsableSpace() : -1;
        } catch (IOException e) {
            free = -1;
        }
        boolean nowFull = free >= 0 && free < minFreeBytes;
        if (nowFull != full) {
            LOG.log(nowFull ? Level.ERROR : Level.INFO, "Recordings disk of {0}: {1} MB free, {2}", dir,
                    String.valueOf(free / BYTES_PER_MB), nowFull ? "new calls are refused with 503 until there is room"
                            : "calls are taken again");
        }
        freeBytes = free;
        full = nowFull;
    }

    /** True while the disk has less than the floor free (as last looked at). */
    boolean full() {
        return full;
    }

    /** Why no new call can be recorded, empty when one can. */
    String problem() {
        if (!writable) {
            return "the recordings directory is not writable";
        }
        if (full) {
            return "the recordings disk is full: " + freeBytes / BYTES_PER_MB + " MB free, under "
                    + minFreeBytes / BYTES_PER_MB + " MB (recordings.min-free-mb)";
        }
        return "";
    }
}
