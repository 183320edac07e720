package gateway.sip;

import gateway.sip.auth.DigestChallenge;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.MinExpires;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.RetryAfterHeader;

/**
 * Keeps one binding at one registrar (RFC 3261 §10.2): REGISTER with our Contact, answered challenges (401 with
 * Authorization, 407 with Proxy-Authorization, RFC 3261 §22.2-22.3), a refresh before the granted expiry runs out,
 * a larger expiry after 423 (§10.3 step 7), and after a failure a new attempt with a back-off doubling from
 * {@link #RETRY_MIN_NANOS} to {@link #RETRY_MAX_NANOS} (RFC 5626 §4.5 uses the same bounds). One Call-ID and From tag
 * for all its REGISTERs, rising CSeq (§10.2.4). Times come from the injected scheduler. The SIP loop only.
 */
final class Registration {

    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    /** The first wait after a failure. */
    static final long RETRY_MIN_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The longest wait between attempts. */
    static final long RETRY_MAX_NANOS = TimeUnit.MINUTES.toNanos(30);
    /** A refresh goes this long before the binding expires, or at half its life if that is shorter. */
    static final long REFRESH_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Challenges answered in a row without a final answer before the attempt counts as failed (no endless loop). */
    static final int MAX_CHALLENGES = 3;
    /** 423 answers taken in a row before the attempt counts as failed. */
    static final int MAX_INTERVAL_RAISES = 2;

    private final SipCore core;
    private final RegistrationSettings settings;
    private final HostResolver resolver;
    private final Channel udp;
    private final Scheduler scheduler;
    private final BiConsumer<Registration, InetAddress> resolved;
    private final String callId;
    private final String fromTag = SipMessages.randomToken();
    private long cseq;
    private int expires;
    private InetSocketAddress registrar;
    private SipPeer connection;
    private DigestChallenge challenge;
    private boolean proxyChallenge;
    private long nonceCount;
    private int challengesInARow;
    private int raisesInARow;
    private long retryDelay = RETRY_MIN_NANOS;
    private Cancellable timer;
    private NonInviteClientTransaction pending;
    private boolean stopped;
    private boolean everRegistered;
    private volatile boolean registered;
    private volatile long grantedSeconds;
    private volatile long failures;

    /**
     * A registration sending over {@code udp} (or TCP connections of its own); {@code resolved} hears each address
     * its registrar resolves to.
     */
    Registration(SipCore core, RegistrationSettings settings, HostResolver resolver, Channel udp,
                 BiConsumer<Registration, InetAddress> resolved) {
        this.core = core;
        this.settings = settings;
        this.resolver = resolver;
        this.udp = udp;
        this.scheduler = core.transactions().scheduler();
        this.resolved = resolved;
        this.expires = settings.expiresSeconds();
        this.callId = SipMessages.randomToken() + "@" + core.messages().publicHost();
    }

    RegistrationSettings settings() {
        return settings;
    }

    RegistrationStatus status() {
        return new RegistrationStatus(settings.name(), registered, grantedSeconds, failures);
    }

    /** Registers now. */
    void start() {
        attempt();
    }

    /** Stops refreshing and retrying; the registrar's binding runs out by itself. */
    void stop() {
        stopped = true;
        cancelTimer();
        if (pending != null) {
            pending.terminate();
        }
        registered = false;
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        timer = null;
        resolver.resolve(settings.registrarHost()).whenComplete((address, error) -> core.onLoop(() -> {
            if (stopped) {
                return;
            }
            if (error != null) {
                failed("cannot resolve " + settings.registrarHost() + ": " + rootMessage(error), 0);
                return;
            }
            InetSocketAddress target = new InetSocketAddress(address, settings.registrarPort());
            if (!target.equals(registrar)) {
                registrar = target;
                connection = null;
            }
            resolved.accept(this, address);
            peer();
        }));
    }

    /** The registrar's peer: the UDP channel, or our TCP connection to it (a new one if it closed). */
    private void peer() {
        if (settings.sipTransport() == Transport.UDP) {
            send(new SipPeer(Transport.UDP, udp, registrar));
        } else if (connection != null && connection.channel().isActive()) {
            send(connection);
        } else {
            core.transport().connect(registrar).whenComplete((peer, error) -> core.onLoop(() -> {
                if (stopped) {
                    if (peer != null) {
                        peer.channel().close();
                    }
                } else if (error != null) {
                    failed("cannot connect to " + registrar + ": " + rootMessage(error), 0);
                } else {
                    connection = peer;
                    send(peer);
                }
            }));
        }
    }

    private void send(SipPeer peer) {
        String branch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
        Transport transport = peer.transport();
        String registrarUri = "sip:" + SipMessages.hostForUri(settings.registrarHost())
                + (settings.registrarPort() == RegistrationSettings.DEFAULT_PORT ? "" : ":" + settings.registrarPort());
        Map.Entry<String, String> authorization = null;
        if (challenge != null) {
            nonceCount++;
            authorization = Map.entry(proxyChallenge ? "Proxy-Authorization" : "Authorization",
                    challenge.answer(settings.authUser(), settings.password(), SipMethod.REGISTER.name(),
                            registrarUri, SipMessages.randomToken(), nonceCount));
        }
        SIPRequest request = core.messages().register(registrarUri,
                "sip:" + settings.user() + "@" + SipMessages.hostForUri(settings.registrarHost()),
                core.messages().contactUri(settings.user(), core.localPort(), transport), callId, fromTag, ++cseq,
                expires, branch, core.localPort(), transport, authorization);
        pending = core.transactions().startClient(branch, SipMethod.REGISTER.name(), peer,
                request.encodeAsBytes(transport.name()), new Outcome(peer));
    }

    /** What came back for one REGISTER. */
    private final class Outcome implements NonInviteClientTransaction.Listener {

        private final SipPeer peer;

        Outcome(SipPeer peer) {
            this.peer = peer;
        }

        @Override
        public void onFinalResponse(SIPResponse response) {
            pending = null;
            if (stopped) {
                return;
            }
            int status = response.getStatusCode();
            if (status >= 200 && status < 300) {
                succeeded(response);
            } else if (status == 401 || status == 407) {
                challenged(response, status == 407, peer);
            } else if (status == 423) {
                intervalTooBrief(response, peer);
            } else {
                RetryAfterHeader retryAfter = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
                failed(status + " " + response.getReasonPhrase(), retryAfter == null ? 0 : retryAfter.getRetryAfter());
            }
        }

        @Override
        public void onTimeout() {
            pending = null;
            if (!stopped) {
                connection = null;
                failed("no response from " + registrar, 0);
            }
        }
    }

    private void succeeded(SIPResponse response) {
        long granted = granted(response);
        if (granted <= 0) {
            failed("the registrar kept no binding (expires 0)", 0);
            return;
        }
        boolean recovered = !registered;
        registered = true;
        grantedSeconds = granted;
        challengesInARow = 0;
        raisesInARow = 0;
        retryDelay = RETRY_MIN_NANOS;
        long grantedNanos = TimeUnit.SECONDS.toNanos(granted);
        long refresh = grantedNanos - Math.min(grantedNanos / 2, REFRESH_MARGIN_NANOS);
        if (recovered) {
            LOG.log(System.Logger.Level.INFO, "Registered {0} at {1} ({2}) for {3} s{4}; refreshing in {5} s",
                    settings.user(), registrar, settings.transport(), granted,
                    everRegistered ? " again" : "", TimeUnit.NANOSECONDS.toSeconds(refresh));
        } else {
            LOG.log(System.Logger.Level.DEBUG, "Refreshed {0} at {1} for {2} s", settings.user(), registrar, granted);
        }
        everRegistered = true;
        timer = scheduler.schedule(this::attempt, refresh);
    }

    /**
     * The expiry the registrar granted (RFC 3261 §10.2.4): our Contact's expires parameter, else the Expires header,
     * else what we asked for.
     */
    private long granted(SIPResponse response) {
        for (Iterator<?> it = response.getHeaders(Contact.NAME); it.hasNext(); ) {
            Object header = it.next();
            if (header instanceof Contact contact && contact.getAddress().getURI() instanceof SipUri uri
                    && settings.user().equals(uri.getUser()) && uri.getPort() == core.localPort()
                    && contact.getParameter("expires") != null) {
                try {
                    return Long.parseLong(contact.getParameter("expires").trim());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        ExpiresHeader header = response.getExpires();
        return header != null ? header.getExpires() : expires;
    }

    private void challenged(SIPResponse response, boolean proxy, SipPeer peer) {
        DigestChallenge next = null;
        String name = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
        for (Iterator<?> it = response.getHeaders(name); it.hasNext() && next == null; ) {
            if (it.next() instanceof AuthenticationHeader header && "Digest".equalsIgnoreCase(header.getScheme())) {
                DigestChallenge candidate = DigestChallenge.of(header::getParameter);
                if (candidate.answerable()) {
                    next = candidate;
                }
            }
        }
        if (next == null) {
            failed(response.getStatusCode() + " with no Digest challenge we can answer (MD5 or SHA-256, qop auth)", 0);
            return;
        }
        boolean sameNonce = challenge != null && next.nonce().equals(challenge.nonce());
        if (++challengesInARow > MAX_CHALLENGES || (challengesInARow > 1 && !next.stale() && !sameNonce)
                || (sameNonce && !next.stale())) {
            challenge = null;
            failed(response.getStatusCode() + " again: the registrar refused the credentials of "
                    + settings.authUser(), 0);
            return;
        }
        challenge = next;
        proxyChallenge = proxy;
        nonceCount = 0;
        send(peer);
    }

    private void intervalTooBrief(SIPResponse response, SipPeer peer) {
        MinExpires min = (MinExpires) response.getHeader(MinExpires.NAME);
        if (min == null || min.getExpires() <= expires || ++raisesInARow > MAX_INTERVAL_RAISES) {
            failed("423 Interval Too Brief" + (min == null ? " without Min-Expires" : ""), 0);
            return;
        }
        expires = min.getExpires();
        send(peer);
    }

    /** The attempt failed: counted, logged, and tried again after the back-off (or the registrar's Retry-After). */
    private void failed(String reason, int retryAfterSeconds) {
        registered = false;
        failures++;
        challengesInARow = 0;
        raisesInARow = 0;
        long delay = Math.max(retryDelay, TimeUnit.SECONDS.toNanos(retryAfterSeconds));
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_NANOS);
        LOG.log(System.Logger.Level.WARNING, "Registration of {0} at {1} failed: {2}; next attempt in {3} s",
                settings.user(), registrar == null ? settings.registrarHost() : registrar, reason,
                TimeUnit.NANOSECONDS.toSeconds(delay));
        cancelTimer();
        timer = scheduler.schedule(this::attempt, delay);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
