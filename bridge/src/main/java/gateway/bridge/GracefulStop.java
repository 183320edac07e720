package gateway.bridge;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What SIGTERM does: the first drains ({@link Gateway#drain}: no new calls, the ones in progress run on) for at most
 * {@code shutdown.drain-seconds}; the deadline or a second SIGTERM ends the rest (end_reason {@code shutdown}); then
 * every recording is finished and the process exits 0. Threading: {@link #onTerm} runs on the JVM's signal thread
 * and returns at once; the drain waits on a thread of its own; {@link #await} blocks the main thread.
 */
final class GracefulStop {

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());

    private final Gateway gateway;
    private final long drainSeconds;
    private final CompletableFuture<Void> cutShort = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private int signals;

    GracefulStop(Gateway gateway, long drainSeconds) {
        this.gateway = gateway;
        this.drainSeconds = drainSeconds;
    }

    /** A SIGTERM: the first starts the drain, the next cuts it short. */
    synchronized void onTerm() {
        signals++;
        if (signals == 1) {
            LOG.log(Level.INFO, "SIGTERM: draining for at most {0} s (a second SIGTERM ends the calls now)",
                    drainSeconds);
            Thread.ofPlatform().name("drain").start(this::drainThenClose);
        } else {
            LOG.log(Level.INFO, "SIGTERM again: ending the calls in progress now");
            cutShort.complete(null);
        }
    }

    private void drainThenClose() {
        try {
            CompletableFuture.anyOf(gateway.drain(), cutShort).get(drainSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.INFO, "Drain deadline of {0} s reached: ending the calls in progress", drainSeconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Drain failed: {0}", e.getCause().toString());
        } finally {
            gateway.close();
            stopped.countDown();
        }
    }

    /** Blocks until the gateway has stopped after a SIGTERM. */
    void await() throws InterruptedException {
        stopped.await();
    }
}
