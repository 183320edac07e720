package gateway.bridge;

import gateway.config.GatewayConfig;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What SIGTERM does: the first drains ({@link Gateway#drain}: no new calls, the ones in progress run on) for at most
 * {@code shutdown.drain-seconds}; the deadline or a second SIGTERM has the agent of each call left say
 * {@code shutdown.goodbye} before its BYE ({@link Gateway#sayGoodbye}, end_reason {@code shutdown}), for at most
 * {@code shutdown.goodbye-max-ms}; a SIGTERM during those goodbyes ends the calls at once; then every recording is
 * finished and the process exits 0. Threading: {@link #onTerm} runs on the JVM's signal thread and returns at once;
 * the drain waits on a thread of its own; {@link #await} blocks the main thread.
 */
final class GracefulStop {

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());
    /** Beyond the goodbyes' own bound, for their BYEs and recordings to finish before {@link Gateway#close}. */
    private static final long GOODBYE_MARGIN_MS = 2_000;

    private final Gateway gateway;
    private final GatewayConfig.Shutdown settings;
    /** Completed by a second SIGTERM: the drain ends now, the goodbyes start. */
    private final CompletableFuture<Void> cutShort = new CompletableFuture<>();
    /** Completed by a SIGTERM during the goodbyes: the calls end now. */
    private final CompletableFuture<Void> endNow = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private int signals;
    private boolean goodbyes;

    GracefulStop(Gateway gateway, GatewayConfig.Shutdown settings) {
        this.gateway = gateway;
        this.settings = settings;
    }

    /** A SIGTERM: the first starts the drain, the next starts the goodbyes, one during the goodbyes ends the calls. */
    synchronized void onTerm() {
        signals++;
        if (signals == 1) {
            LOG.log(Level.INFO, "SIGTERM: draining for at most {0} s (a second SIGTERM ends the calls sooner)",
                    settings.drainSeconds());
            Thread.ofPlatform().name("drain").start(this::drainThenClose);
        } else if (!goodbyes) {
            LOG.log(Level.INFO, "SIGTERM again: ending the calls in progress now, after the agent''s goodbye"
                    + " (another SIGTERM skips it)");
            goodbyes = true;
            cutShort.complete(null);
        } else {
            LOG.log(Level.INFO, "SIGTERM during the goodbyes: ending the calls in progress at once");
            endNow.complete(null);
        }
    }

    /** The drain has ended with calls left: from now on a SIGTERM ends them at once. */
    private synchronized void goodbyesStart() {
        goodbyes = true;
    }

    private void drainThenClose() {
        try {
            CompletableFuture<Void> drained = gateway.drain();
            try {
                CompletableFuture.anyOf(drained, cutShort).get(settings.drainSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.log(Level.INFO, "Drain deadline of {0} s reached: ending the calls in progress",
                        settings.drainSeconds());
            }
            if (!drained.isDone()) {
                sayGoodbye();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Drain failed: {0}", e.getCause().toString());
        } finally {
            gateway.close();
            stopped.countDown();
        }
    }

    /** The agent says goodbye on each call left, until they have all ended or a SIGTERM cuts the goodbyes short. */
    private void sayGoodbye() throws InterruptedException, ExecutionException {
        goodbyesStart();
        if (endNow.isDone()) {
            return;
        }
        try {
            CompletableFuture.anyOf(gateway.sayGoodbye(settings.goodbye(), settings.goodbyeMaxMs()), endNow)
                    .get(settings.goodbyeMaxMs() + GOODBYE_MARGIN_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "The goodbyes took longer than {0} ms: ending the calls left",
                    settings.goodbyeMaxMs());
        }
    }

    /** Blocks until the gateway has stopped after a SIGTERM. */
    void await() throws InterruptedException {
        stopped.await();
    }
}
