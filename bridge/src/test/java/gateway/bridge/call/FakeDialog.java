package gateway.bridge.call;

import gateway.sip.AudioCodec;
import gateway.sip.CallListener;
import gateway.sip.InboundCall;
import gateway.sip.MediaDirection;
import gateway.sip.NegotiatedMedia;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SIP leg of a call under test: records what the call asks of its dialog (ringing, answer, reject, hangup) and
 * lets the test play the caller's side through the listener the call registered.
 */
final class FakeDialog implements InboundCall {

    static final InetSocketAddress CALLER_RTP = new InetSocketAddress("192.0.2.10", 40000);
    static final NegotiatedMedia PCMU = new NegotiatedMedia(AudioCodec.PCMU, 0, 101, 20, MediaDirection.SENDRECV,
            CALLER_RTP);

    final List<String> actions = new ArrayList<>();
    /** The INVITE's headers by lower-case name, for a test to fill. */
    final Map<String, List<String>> headers = new HashMap<>();
    private final NegotiatedMedia offer;
    private final String callId;
    CallListener listener = CallListener.NONE;
    CompletableFuture<Boolean> answer;
    CompletableFuture<Integer> referred;
    private boolean answerPending;

    FakeDialog(String callId, NegotiatedMedia offerOrNull) {
        this.callId = callId;
        this.offer = offerOrNull;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String fromUri() {
        return "sip:alice@example.com";
    }

    @Override
    public String toUri() {
        return "sip:agent@example.net";
    }

    @Override
    public String fromHeader() {
        return "<sip:alice@example.com>;tag=a1";
    }

    @Override
    public String toHeader() {
        return "<sip:agent@example.net>";
    }

    @Override
    public String requestUri() {
        return "sip:agent@example.net";
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public InetSocketAddress source() {
        return new InetSocketAddress("192.0.2.10", 5060);
    }

    @Override
    public Optional<NegotiatedMedia> offeredMedia() {
        return Optional.ofNullable(offer);
    }

    @Override
    public void setListener(CallListener l) {
        listener = l;
    }

    @Override
    public void ringing() {
        actions.add("180");
    }

    @Override
    public CompletableFuture<Boolean> earlyMedia(String publicHost, int rtpPort) {
        actions.add("183 " + publicHost + ":" + rtpPort);
        return CompletableFuture.completedFuture(offer != null);
    }

    /** The 200 OK's fate stays open until the test completes {@link #answer}: true if it left, false if not. */
    void holdAnswer() {
        answerPending = true;
    }

    @Override
    public CompletableFuture<Boolean> answer(String publicHost, int rtpPort) {
        actions.add("200 " + publicHost + ":" + rtpPort);
        answer = answerPending ? new CompletableFuture<>() : CompletableFuture.completedFuture(true);
        return answer;
    }

    @Override
    public void reject(int status, String reason) {
        actions.add(status + " " + reason);
    }

    @Override
    public void reject(int status, String reason, int retryAfterSeconds) {
        actions.add(status + " " + reason + " Retry-After " + retryAfterSeconds);
    }

    @Override
    public void redirect(String target) {
        actions.add("302 " + target);
    }

    /** The REFER's final status stays open until the test completes {@link #referred}. */
    @Override
    public CompletableFuture<Integer> refer(String referTo, String referredBy) {
        actions.add("REFER " + referTo + " by " + referredBy);
        referred = new CompletableFuture<>();
        return referred;
    }

    @Override
    public void hangup() {
        actions.add("BYE");
    }
}
