package gateway.bridge.events;

import gateway.bridge.call.CallEvent;
import gateway.bridge.call.CallObserver;
import gateway.bridge.tools.WebhookClient;
import gateway.config.GatewayConfig;
import gateway.storage.Backoff;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Delivers call events to {@code events.webhook-url}, in order, through an on-disk {@link EventQueue}: a call's
 * loop only encodes the event and hands it over ({@link #observe}); the sender's one thread (its {@link Scheduler})
 * writes it to disk, then POSTs the oldest event, one at a time, signed as tool webhooks are. A 2xx removes it; a
 * connection failure, a timeout, a 5xx, 408 or 429 keeps it and tries again after {@link #FIRST_RETRY_MS}, doubling
 * to at most {@link #MAX_RETRY_MS}, each wait drawn between half and all of that ({@link Backoff}); any other
 * status (a 4xx the receiver will answer the same way each time, or a 3xx: redirects are not followed) drops it,
 * counted and logged, so one bad event cannot block the rest.
 * Past {@code maxQueued} waiting events the oldest one (not the one being sent) is dropped and counted. A receiver
 * that is down never slows a call: nothing here runs on a call's loop but the encoding.
 *
 * <p>Delivery is at least once: a crash between the receiver's answer and the removal sends the event again, with
 * the same {@code id}.
 */
public final class CallEventSender implements CallObserver, AutoCloseable {

    private static final Logger LOG = System.getLogger(CallEventSender.class.getName());
    /** The first retry waits up to a second; each failure doubles that up to a minute ({@link Backoff}). */
    static final long FIRST_RETRY_MS = 1_000;
    static final long MAX_RETRY_MS = 60_000;
    /** How long one POST may take to answer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int HTTP_REQUEST_TIMEOUT = 408;
    private static final int HTTP_TOO_MANY_REQUESTS = 429;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final URI url;
    private final EventQueue queue;
    private final int maxQueued;
    private final WebhookClient client;
    private final Scheduler scheduler;
    private final InstantSource wallClock;
    private final Function<String, String> recordingUrl;
    private final Map<String, Long> sequences = new ConcurrentHashMap<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int waiting;
    /** What {@link #start} made for this sender, released by {@link #close}; null when given from outside. */
    private Runnable owned;

    // Sender thread only.
    private long inFlight = -1;
    private CompletableFuture<HttpResponse<byte[]>> exchange;
    private Cancellable retry;
    private long nextAttemptNanos = -1;
    private final Backoff backoff;
    private boolean closed;

    /**
     * Starts delivering the events of {@code config} on a thread of its own ("call-events"), resuming what its queue
     * directory holds. {@code recordingUrl} gives the QA API's URL of a call by its id.
     */
    public static CallEventSender start(GatewayConfig.Events config, InstantSource wallClock,
                                        Function<String, String> recordingUrl) throws IOException {
        EventQueue queue = new EventQueue(config.queueDir());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "call-events");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        WebhookClient client = config.signed() ? new WebhookClient(config.secret(), wallClock)
                : WebhookClient.unsigned(wallClock);
        CallEventSender sender = new CallEventSender(config.webhookUrl(), queue, config.maxQueued(), client,
                Scheduler.on(executor), wallClock, recordingUrl, newBackoff(new SplittableRandom()));
        sender.owned = () -> {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "call events: the queue's writer did not finish within {0} s",
                            CLOSE_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
        };
        LOG.log(Level.INFO, "Call events: to {0}, {1}, queued in {2} (at most {3})", config.webhookUrl(),
                config.signed() ? "signed" : "unsigned (no events.secret)", config.queueDir(), config.maxQueued());
        return sender;
    }

    CallEventSender(URI url, EventQueue queue, int maxQueued, WebhookClient client, Scheduler scheduler,
                    InstantSource wallClock, Function<String, String> recordingUrl, Backoff backoff) {
        this.backoff = backoff;
        this.url = url;
        this.queue = queue;
        this.maxQueued = maxQueued;
        this.client = client;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.recordingUrl = recordingUrl;
        this.waiting = queue.size();
        if (waiting > 0) {
            LOG.log(Level.INFO, "{0} call event(s) left from the last run are sent first", waiting);
        }
        scheduler.execute(this::pump);
    }

    /** Encodes the event with a new id and the call's next sequence number and hands it to the sender thread. */
    @Override
    public void observe(String callId, CallEvent event) {
        long sequence = sequences.merge(callId, 1L, Long::sum);
        if (event instanceof CallEvent.Ended) {
            sequences.remove(callId);
        }
        byte[] body = CallEventJson.encode(UUID.randomUUID().toString(), callId, sequence, wallClock.instant(),
                event, recordingUrl.apply(callId));
        scheduler.execute(() -> enqueue(body, event.type(), callId));
    }

    private void enqueue(byte[] body, String type, String callId) {
        try {
            queue.append(body);
            queued.incrementAndGet();
        } catch (IOException e) {
            dropped.incrementAndGet();
            LOG.log(Level.ERROR, "call {0}: cannot queue {1} in the events queue; dropped: {2}", callId, type,
                    e.toString());
            return;
        }
        while (queue.size() > maxQueued) {
            long oldest = queue.oldestExcept(inFlight);
            if (oldest < 0 || !discard(oldest, "the queue is over events.max-queued (" + maxQueued + ")")) {
                break;
            }
        }
        waiting = queue.size();
        pump();
    }

    /** Sends the oldest event unless one is under way, a retry is waiting, or the sender is closed. */
    private void pump() {
        if (closed || inFlight >= 0 || retry != null) {
            return;
        }
        EventQueue.Queued head;
        try {
            head = queue.head();
        } catch (IOException e) {
            Long number = queueHeadNumber();
            LOG.log(Level.ERROR, "a queued call event cannot be read; dropped: {0}", e.toString());
            if (number != null) {
                discard(number, "unreadable");
                pump();
            }
            return;
        }
        if (head == null) {
            return;
        }
        inFlight = head.number();
        exchange = client.post(url, Map.of(), head.body(), REQUEST_TIMEOUT);
        exchange.whenComplete((response, error) -> scheduler.execute(() -> answered(head.number(), response, error)));
    }

    private void answered(long number, HttpResponse<byte[]> response, Throwable error) {
        if (inFlight != number) {
            return;
        }
        inFlight = -1;
        exchange = null;
        if (closed) {
            return;
        }
        int status = response == null ? -1 : response.statusCode();
        if (status >= 200 && status < 300) {
            backoff.succeeded();
            if (discardQuietly(number)) {
                delivered.incrementAndGet();
            }
            pump();
        } else if (error != null || status >= 500 || status == HTTP_REQUEST_TIMEOUT
                || status == HTTP_TOO_MANY_REQUESTS) {
            retried.incrementAndGet();
            long delay = TimeUnit.MILLISECONDS.toNanos(backoff.failed());
            if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
                LOG.log(Level.WARNING, "call events: {0} failed ({1}); retrying in {2} ms, {3} waiting", url,
                        error != null ? error.toString() : "HTTP " + status, delay / 1_000_000, queue.size());
            }
            nextAttemptNanos = scheduler.nanoTime() + delay;
            retry = scheduler.schedule(() -> {
                retry = null;
                nextAttemptNanos = -1;
                pump();
            }, delay);
        } else {
            backoff.succeeded();
            discard(number, "the receiver answered HTTP " + status + ", which a retry would not change");
            pump();
        }
    }

    /** The back-off of call events: 1 s, 2 s, 4 s, … up to a minute, each drawn from its upper half. */
    static Backoff newBackoff(RandomGenerator random) {
        return new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS, random);
    }

    /** Drops the event {@code number}, counted and logged; false if its file could not be removed. */
    private boolean discard(long number, String why) {
        if (!discardQuietly(number)) {
            return false;
        }
        dropped.incrementAndGet();
        LOG.log(Level.WARNING, "call events: event {0} dropped: {1}", String.valueOf(number), why);
        return true;
    }

    private boolean discardQuietly(long number) {
        try {
            queue.remove(number);
            waiting = queue.size();
            return true;
        } catch (IOException e) {
            LOG.log(Level.ERROR, "call events: cannot remove event {0} from the queue: {1}", String.valueOf(number),
                    e.toString());
            return false;
        }
    }

    private Long queueHeadNumber() {
        long oldest = queue.oldestExcept(-1);
        return oldest < 0 ? null : oldest;
    }

    /** Events written to disk since start. */
    public long queued() {
        return queued.get();
    }

    /** Events the receiver accepted (2xx) since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Failed attempts that will be tried again. */
    public long retried() {
        return retried.get();
    }

    /** Events given up on: refused by the receiver, over the queue's bound, or not writable. */
    public long dropped() {
        return dropped.get();
    }

    /** Events on disk waiting for delivery. */
    public int waiting() {
        return waiting;
    }

    /** When the waiting retry runs, on the scheduler's clock; -1 when none waits. Sender thread, or tests. */
    long nextAttemptNanos() {
        return nextAttemptNanos;
    }

    /**
     * Stops sending: events handed over before this are still written to disk (they run first on the sender's
     * thread); an exchange under way is abandoned and its event stays queued for the next start.
     */
    @Override
    public void close() {
        scheduler.execute(() -> {
            closed = true;
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
            if (exchange != null) {
                exchange.cancel(true);
            }
        });
        if (owned != null) {
            owned.run();
        }
    }
}
