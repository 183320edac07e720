package gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.ThreadScheduling;
import gateway.testkit.ThreadScheduling.Policy;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real-time scheduling asked of the kernel for real. An integration test because only the packaged multi-release
 * jar holds the Java 22 class that makes the call. What the kernel must answer follows from this process's own
 * capabilities and limits, and the thread's scheduling class is read back from {@code /proc} afterwards.
 */
class RealtimeSchedulingIT {

    private static final int PRIORITY = 10;

    @Test
    void theKernelGrantsWhatThisProcessMayHaveAndTheThreadRunsUnderIt() throws Exception {
        CompletableFuture<RealtimeScheduling.Outcome> outcome = new CompletableFuture<>();
        CompletableFuture<Policy> policy = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            outcome.complete(RealtimeScheduling.requestForCurrentThread(PRIORITY));
            policy.complete(ThreadScheduling.ofCurrentThread());
        }, "rt-probe");
        thread.start();
        RealtimeScheduling.Outcome answer = outcome.get(30, TimeUnit.SECONDS);

        boolean granted = ThreadScheduling.mayTakeFifo(PRIORITY);
        assertEquals(granted, answer.granted(), answer.detail());
        assertEquals(granted ? Policy.fifo(PRIORITY) : Policy.NORMAL, policy.get(30, TimeUnit.SECONDS));
        if (!granted && Runtime.version().feature() >= 22) {
            assertTrue(answer.detail().contains("CAP_SYS_NICE or an RLIMIT_RTPRIO of at least 10"), answer.detail());
        }
    }

    @Test
    void aRealtimeGroupsLoopsAskAsTheyStartAndReportOnTheirOwnThread() {
        List<String> reportedOn = new CopyOnWriteArrayList<>();
        List<RealtimeScheduling.Outcome> outcomes = new CopyOnWriteArrayList<>();
        EventLoopGroup group = NettyTransport.best().newGroup(2, "rt-test", PRIORITY, outcome -> {
            reportedOn.add(Thread.currentThread().getName());
            outcomes.add(outcome);
        });
        try {
            List<String> loops = new CopyOnWriteArrayList<>();
            List<Policy> policies = new CopyOnWriteArrayList<>();
            group.forEach(loop -> loop.submit(() -> {
                loops.add(Thread.currentThread().getName());
                policies.add(ThreadScheduling.ofCurrentThread());
            }).syncUninterruptibly());
            assertEquals(2, loops.size());
            assertEquals(loops.stream().sorted().toList(), reportedOn.stream().sorted().toList(),
                    "each loop reported once, on its own thread");
            boolean granted = ThreadScheduling.mayTakeFifo(PRIORITY);
            outcomes.forEach(outcome -> assertEquals(granted, outcome.granted(), outcome.detail()));
            Policy expected = granted ? Policy.fifo(PRIORITY) : Policy.NORMAL;
            assertEquals(List.of(expected, expected), policies);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void priorityZeroAsksNothingAndTheLoopsStayNormal() {
        List<RealtimeScheduling.Outcome> outcomes = new CopyOnWriteArrayList<>();
        EventLoopGroup group = NettyTransport.best().newGroup(1, "normal-test", 0, outcomes::add);
        try {
            Policy policy = group.next().submit(ThreadScheduling::ofCurrentThread).syncUninterruptibly().getNow();
            assertEquals(Policy.NORMAL, policy);
            assertTrue(outcomes.isEmpty());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPriorityOutsideOneToNinetyNineIsRefusedBeforeTheKernelIsAsked() {
        assertThrows(IllegalArgumentException.class, () -> RealtimeScheduling.requestForCurrentThread(0));
        assertThrows(IllegalArgumentException.class, () -> RealtimeScheduling.requestForCurrentThread(100));
        assertEquals(Policy.NORMAL, ThreadScheduling.ofCurrentThread(), "the test thread itself was never changed");
    }
}
