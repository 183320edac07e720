package gateway.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran.
 * Registered by service loading, so every test class in a module that depends on the test kit gets it.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final int GC_ROUNDS = 3;

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            Thread.sleep(20);
            // Leak reports are emitted when the detector tracks a new buffer after the old one was collected.
            allocateAndRelease();
        }
        List<String> leaks = FailingLeakDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    private static void allocateAndRelease() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        pooled.release();
        ByteBuf heap = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        heap.release();
    }
}
