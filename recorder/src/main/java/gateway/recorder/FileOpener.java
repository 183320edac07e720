package gateway.recorder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the recorder opens every file it writes (audio.wav, call.json and its checkpoint, the captions). Production
 * uses {@link FileChannel#open}; the seam exists so a test can send a call's writes to a device that fails the way a
 * full disk does (ENOSPC from {@code /dev/full}), which no unprivileged test can arrange on a real file system.
 */
@FunctionalInterface
interface FileOpener {

    FileOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
