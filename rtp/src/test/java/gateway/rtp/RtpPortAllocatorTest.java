package gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpPortAllocatorTest {

    @Test
    void handsOutEvenPortsUntilExhausted() {
        RtpPortAllocator ports = new RtpPortAllocator(10001, 10010); // even ports with RTCP inside: 10002..10008
        assertEquals(4, ports.capacity());
        assertEquals(10002, ports.allocate());
        assertEquals(10004, ports.allocate());
        assertEquals(10006, ports.allocate());
        assertEquals(10008, ports.allocate());
        assertEquals(4, ports.inUse());
        IllegalStateException e = assertThrows(IllegalStateException.class, ports::allocate);
        assertEquals("no free RTP port in 10001-10010", e.getMessage());
    }

    @Test
    void releasedPortIsReusedOnlyAfterTheOthers() {
        RtpPortAllocator ports = new RtpPortAllocator(20000, 20007); // 20000, 20002, 20004, 20006
        assertEquals(20000, ports.allocate());
        assertEquals(20002, ports.allocate());
        ports.release(20000);
        assertEquals(1, ports.inUse());
        assertEquals(20004, ports.allocate());
        assertEquals(20006, ports.allocate());
        assertEquals(20000, ports.allocate()); // wrapped around to the released one
        ports.release(20002);
        ports.release(20002); // twice: ignored
        ports.release(20003); // odd: ignored
        ports.release(30000); // outside: ignored
        assertEquals(3, ports.inUse());
        assertEquals(20002, ports.allocate());
    }

    @Test
    void rejectsRangesWithoutAPortPair() {
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10000, 10000));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10001, 10002));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10010, 10000));
        assertEquals(1, new RtpPortAllocator(10000, 10001).capacity());
    }

    @Test
    void concurrentCallersNeverGetTheSamePort() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(40000, 40999);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 100; i++) {
                    seen.add(ports.allocate());
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        assertEquals(400, seen.size());
        assertEquals(400, ports.inUse());
        Set<Integer> odd = new HashSet<>();
        seen.stream().filter(p -> p % 2 != 0).forEach(odd::add);
        assertEquals(Set.of(), odd);
    }
}
