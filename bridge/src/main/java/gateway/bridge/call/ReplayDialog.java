package gateway.bridge.call;

import gateway.sip.AudioCodec;
import gateway.sip.CallListener;
import gateway.sip.InboundCall;
import gateway.sip.MediaDirection;
import gateway.sip.NegotiatedMedia;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A replay's dialog leg, in process, in place of SIP: the recorded call's From, To and passed-on headers, an offer of
 * its codec without telephone-event (no keys can be pressed on a recording) and no address; ringing and answering
 * succeed at once, and nothing goes on a wire. A refusal before the answer (no Realtime session, no recording) is
 * kept for the replay to report. Any thread.
 */
final class ReplayDialog implements InboundCall {

    /** A transfer has no one to go to: the REFER is refused as not implemented (RFC 3261 §21.5.2). */
    static final int REFER_REFUSED = 501;

    private final String callId;
    private final String from;
    private final String to;
    private final Map<String, List<String>> headers;
    private final NegotiatedMedia offer;
    private volatile String refusal;

    /**
     * The dialog of a replay of {@code original}, whose {@code from}, {@code to} and {@code headers} it gives the
     * call; {@code codec} is the original's (PCMU when it had none).
     */
    ReplayDialog(String callId, String from, String to, String codec, Map<String, List<String>> headers) {
        this.callId = callId;
        this.from = from == null ? "" : from;
        this.to = to == null ? "" : to;
        this.headers = headers;
        AudioCodec audio = codec == null ? AudioCodec.PCMU
                : AudioCodec.byEncodingName(codec).orElse(AudioCodec.PCMU);
        this.offer = new NegotiatedMedia(audio, audio.staticPayloadType(), -1, NegotiatedMedia.DEFAULT_PTIME_MS,
                MediaDirection.SENDRECV, null);
    }

    /** The final response the call was refused with before its answer, or null when it was answered. */
    String refusal() {
        return refusal;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public String fromUri() {
        return from;
    }

    @Override
    public String toUri() {
        return to;
    }

    @Override
    public String fromHeader() {
        return "<" + from + ">";
    }

    @Override
    public String toHeader() {
        return "<" + to + ">";
    }

    @Override
    public String requestUri() {
        return to;
    }

    /** The original INVITE's headers that its call.json kept (those its profile passed on), any case. */
    @Override
    public List<String> headerValues(String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return header.getValue();
            }
        }
        return List.of();
    }

    /** No transport brought it: null, and call.json has no {@code source}. */
    @Override
    public InetSocketAddress source() {
        return null;
    }

    @Override
    public Optional<NegotiatedMedia> offeredMedia() {
        return Optional.of(offer);
    }

    /** Nothing comes from a caller's side: the recording ends the call (its media leg says when). */
    @Override
    public void setListener(CallListener listener) {
    }

    @Override
    public void ringing() {
    }

    @Override
    public CompletableFuture<Boolean> earlyMedia(String publicHost, int rtpPort) {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> answer(String publicHost, int rtpPort) {
        return CompletableFuture.completedFuture(refusal == null);
    }

    @Override
    public void reject(int status, String reason) {
        refusal = status + " " + reason;
    }

    @Override
    public void reject(int status, String reason, int retryAfterSeconds) {
        reject(status, reason);
    }

    @Override
    public void redirect(String target) {
        refusal = "302 to " + target;
    }

    @Override
    public CompletableFuture<Integer> refer(String referTo, String referredBy) {
        return CompletableFuture.completedFuture(REFER_REFUSED);
    }

    @Override
    public void hangup() {
    }
}
