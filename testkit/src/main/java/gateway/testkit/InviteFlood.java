package gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An INVITE flood from one source address: distinct INVITEs (a new Call-ID and branch each) sent over UDP at a steady
 * rate from a chosen local address (127.0.0.2, say: 127.0.0.0/8 has many) until its duration is over or it is
 * closed. Each INVITE is the same bytes with a counter written into them, so the sender costs little besides the
 * send itself. Threading: its own thread; {@link #sent()} and {@link #close()} from any thread.
 */
public final class InviteFlood implements AutoCloseable {

    /** Digits of the counter in the Call-ID and the branch. */
    private static final int COUNTER_DIGITS = 10;
    private static final String COUNTER = "0".repeat(COUNTER_DIGITS);
    /** How long the sender sleeps when it is ahead of its rate. */
    private static final long NAP_NANOS = 100_000;

    private final DatagramChannel channel;
    private final byte[] invite;
    private final int[] counterAt;
    private final long perSecond;
    private final long durationNanos;
    private final AtomicLong sent = new AtomicLong();
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private volatile boolean stopped;

    private InviteFlood(DatagramChannel channel, String template, long perSecond, Duration duration) {
        this.channel = channel;
        this.invite = template.getBytes(StandardCharsets.US_ASCII);
        this.counterAt = offsets(template);
        this.perSecond = perSecond;
        this.durationNanos = duration.toNanos();
    }

    /**
     * Starts sending {@code perSecond} INVITEs a second from {@code from} to {@code to} for {@code duration}, with
     * {@code userAgent} as their User-Agent.
     */
    public static InviteFlood start(InetSocketAddress from, InetSocketAddress to, long perSecond, Duration duration,
                                    String userAgent) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        try {
            DatagramChannel channel = DatagramChannel.open();
            channel.bind(from);
            channel.connect(to);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            InviteFlood flood = new InviteFlood(channel, template(local, to, userAgent), perSecond, duration);
            Thread thread = new Thread(flood::run, "invite-flood");
            thread.setDaemon(true);
            thread.start();
            return flood;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** INVITEs sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Completes with the number sent when the flood is over. */
    public CompletableFuture<Long> finished() {
        return finished;
    }

    /** Stops the flood and waits for its thread to finish; returns the number sent. */
    @Override
    public void close() {
        stopped = true;
        try {
            finished.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the flood did not stop", e);
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a datagram channel has nothing left to report
            }
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.wrap(invite);
        long start = System.nanoTime();
        long count = 0;
        try {
            while (!stopped) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= durationNanos) {
                    break;
                }
                long due = elapsed * perSecond / 1_000_000_000L + 1;
                if (count >= due) {
                    LockSupport.parkNanos(NAP_NANOS);
                    continue;
                }
                while (count < due && !stopped) {
                    writeCounter(count);
                    buffer.clear();
                    channel.write(buffer);
                    count++;
                    sent.lazySet(count);
                }
            }
        } catch (IOException e) {
            if (!stopped) {
                finished.completeExceptionally(e);
                return;
            }
        }
        sent.set(count);
        finished.complete(count);
    }

    private void writeCounter(long value) {
        long v = value;
        for (int i = COUNTER_DIGITS - 1; i >= 0; i--) {
            byte digit = (byte) ('0' + v % 10);
            v /= 10;
            for (int at : counterAt) {
                invite[at + i] = digit;
            }
        }
    }

    private static int[] offsets(String template) {
        int first = template.indexOf(COUNTER);
        int second = template.indexOf(COUNTER, first + COUNTER_DIGITS);
        return new int[] {first, second};
    }

    private static String template(InetSocketAddress local, InetSocketAddress to, String userAgent) {
        String host = local.getAddress().getHostAddress();
        String target = to.getAddress().getHostAddress() + ":" + to.getPort();
        String sdp = "v=0\r\no=flood 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:100@" + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + local.getPort() + ";branch=z9hG4bK-flood-" + COUNTER + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:flood@" + host + ">;tag=flood\r\n"
                + "To: <sip:100@" + target + ">\r\n"
                + "Call-ID: flood-" + COUNTER + "@" + host + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:flood@" + host + ":" + local.getPort() + ">\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }
}
