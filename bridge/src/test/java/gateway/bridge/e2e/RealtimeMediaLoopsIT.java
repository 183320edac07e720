package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gateway.testkit.ThreadScheduling;
import gateway.testkit.ThreadScheduling.Policy;
import gateway.testkit.ThreadScheduling.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rtp.realtime-priority} on a whole gateway: its media loops run under {@code SCHED_FIFO} exactly when this
 * process may have it, and {@code gateway_media_loops_realtime} says how many do. The default asks for nothing.
 */
@Tag("e2e")
class RealtimeMediaLoopsIT {

    private static final int RTP_MIN = 43_800;
    private static final int PRIORITY = 10;

    @TempDir
    Path dir;

    @Test
    void withAPriorityEveryMediaLoopRunsUnderSchedFifoWhenTheProcessMayAndTheGaugeCountsThem() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, dir,
                List.of("--rtp.realtime-priority=" + PRIORITY))) {
            List<Task> loops = ThreadScheduling.tasksNamed("media-");
            assertEquals(Runtime.getRuntime().availableProcessors(), loops.size(), loops.toString());
            boolean granted = ThreadScheduling.mayTakeFifo(PRIORITY);
            Policy expected = granted ? Policy.fifo(PRIORITY) : Policy.NORMAL;
            loops.forEach(loop -> assertEquals(expected, loop.policy(), loop.name()));
            assertEquals(granted ? loops.size() : 0, gw.metric("gateway_media_loops_realtime"));
        }
    }

    @Test
    void byDefaultTheMediaLoopsAreNormalThreads() throws Exception {
        try (GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN + GatewayUnderIT.RTP_RANGE_SIZE, dir)) {
            List<Task> loops = ThreadScheduling.tasksNamed("media-");
            assertFalse(loops.isEmpty());
            loops.forEach(loop -> assertEquals(Policy.NORMAL, loop.policy(), loop.name()));
            assertEquals(0, gw.metric("gateway_media_loops_realtime"));
        }
    }
}
