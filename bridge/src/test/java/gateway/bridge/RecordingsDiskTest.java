package gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recordings disk takes calls while it is a writable directory with the floor free. */
class RecordingsDiskTest {

    @TempDir
    Path dir;

    @Test
    void aDiskUnderTheFloorIsFullAndSaysSo() throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        RecordingsDisk disk = new RecordingsDisk(dir, free + (1L << 30));
        assertFalse(disk.full(), "not looked at yet");
        disk.check();
        assertTrue(disk.full());
        assertTrue(disk.problem().startsWith("the recordings disk is full: "), disk.problem());
        assertTrue(disk.problem().endsWith(" MB (recordings.min-free-mb)"), disk.problem());
    }

    @Test
    void aDiskWithRoomTakesCalls() throws Exception {
        RecordingsDisk disk = new RecordingsDisk(dir, 0);
        disk.check();
        assertTrue(Files.getFileStore(dir).getUsableSpace() >= RecordingsDisk.FULL_BYTES, "the test machine has room");
        assertFalse(disk.full());
        assertEquals("", disk.problem());
    }

    @Test
    void aMissingDirectoryIsNotWritableRatherThanFull() {
        RecordingsDisk disk = new RecordingsDisk(dir.resolve("gone"), Long.MAX_VALUE);
        disk.check();
        assertFalse(disk.full());
        assertEquals("the recordings directory is not writable", disk.problem());
    }
}
