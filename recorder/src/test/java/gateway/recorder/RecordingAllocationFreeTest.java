package gateway.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.library.CallMetadata;
import gateway.testkit.Allocations;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media loop's side of recording, both legs of every 20 ms frame, allocates nothing once the block pool has grown
 * to its working size (blocks come back from the writer and are reused).
 */
class RecordingAllocationFreeTest {

    private static final int FRAME = 480;
    private static final int CALLS = 100;
    /** Frames per call in one run: 0.2 s, so all the runs together stay well inside each call's 5 s buffer. */
    private static final int FRAMES_PER_RUN = 10;
    private static final int WARM_UPS = 10;
    private static final int MEASURED_RUNS = 3;

    /**
     * Blocks a call holds per channel once the writer has taken everything it may: its 0.5 s window. Runs end on
     * block boundaries, so every run starts from exactly this and the pool's working size is reached in warm-up.
     */
    private static final int BLOCKS_AFTER_PASS = RecordingService.DEFAULT_WINDOW_FRAMES / SampleBlock.FRAMES;

    @TempDir
    Path dir;
    private RecordingService service;

    @AfterEach
    void close() {
        service.close();
    }

    /** Waits (without allocating) until the writer's pass has taken what the last run wrote. */
    private void awaitWriter() {
        long caughtUp = (long) CALLS * CallAudio.CHANNELS * BLOCKS_AFTER_PASS * SampleBlock.BYTES;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.bufferedBytes() > caughtUp) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not catch up: " + service.bufferedBytes() + " bytes held");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void callerAndAssistantFramesAllocateNothing() throws Exception {
        service = new RecordingService(dir, new RecorderSettings(5, CALLS));
        CallRecording[] calls = new CallRecording[CALLS];
        for (int i = 0; i < CALLS; i++) {
            calls[i] = service.start(new CallMetadata("call-" + i, "c" + i + "@192.0.2.1", "sip:a@example.com",
                    "sip:b@example.com", Instant.EPOCH, "PCMU"));
        }
        short[] caller = new short[FRAME];
        short[] assistant = new short[FRAME];
        for (int i = 0; i < FRAME; i++) {
            caller[i] = (short) (i * 37);
            assistant[i] = (short) -(i * 41);
        }
        long[] position = {0};
        Allocations.Measurement measured = Allocations.leastOf(WARM_UPS, MEASURED_RUNS, () -> {
            awaitWriter();
            for (int f = 0; f < FRAMES_PER_RUN; f++) {
                for (CallRecording call : calls) {
                    call.caller(position[0], caller, 0, FRAME);
                    call.assistant(position[0], assistant, 0, FRAME);
                }
                position[0] += FRAME;
            }
        });
        long allocated = measured.bytes();
        assertEquals(0, service.lostSamples(), "every sample had room, so no loss path was taken");
        assertTrue(allocated < Allocations.BOUND_BYTES, "allocated " + allocated + " bytes for "
                + CALLS * FRAMES_PER_RUN + " stereo frames");
    }
}
