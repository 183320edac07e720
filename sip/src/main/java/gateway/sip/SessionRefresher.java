package gateway.sip;

import gateway.time.Cancellable;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.header.ContentTypeHeader;

/**
 * Our session refresh requests when we are a call's refresher (RFC 4028 §7.4, §10): an UPDATE without a body when the
 * caller allows UPDATE, else a re-INVITE offering the session's media again, the codec in use first (RFC 3264 §8).
 * Each carries Session-Expires with us as refresher, Supported, Allow and our Contact. Its 2xx restarts the timer
 * with the interval and refresher it names, or with ours when it names none (§7.2); a 422 raises the interval to its
 * Min-SE and tries again (§7.3); a 491, or an offer/answer exchange of the caller under way, tries again after up to
 * 2 s (RFC 3261 §14.1: we do not own the Call-ID); a 405 or 501 to the UPDATE switches to re-INVITE; a 408, 481 or
 * no answer ends the session (§10). Any other failure leaves the session to expire unless a refresh comes. Used on
 * the SIP event loop only.
 */
final class SessionRefresher {

    private static final System.Logger LOG = System.getLogger(SessionRefresher.class.getName());
    /** The longest wait before trying again after a 491 (RFC 3261 §14.1, when we are not the Call-ID's owner). */
    static final long MAX_RETRY_NANOS = 2_000_000_000L;

    private final ServerCall call;
    private boolean update;
    private int interval;
    private ClientTransaction inFlight;
    /** True from the moment a refresh is decided until its transaction ends (also while its next hop is found). */
    private boolean busy;
    private Cancellable retry;
    private boolean stopped;

    /** Refreshes {@code call}'s session; by UPDATE while {@code remoteAllowsUpdate} (its INVITE's Allow). */
    SessionRefresher(ServerCall call, boolean remoteAllowsUpdate) {
        this.call = call;
        this.update = remoteAllowsUpdate;
    }

    /** Half the interval of {@code intervalSeconds} has passed with us as refresher: refresh the session now. */
    void refresh(int intervalSeconds) {
        if (stopped || busy || !call.confirmed()) {
            return;
        }
        interval = Math.max(intervalSeconds, SessionTimerRequest.MIN_SE_SECONDS);
        if (!update && !call.idleForOffer()) {
            retryLater();
            return;
        }
        busy = true;
        call.toNextHop(this::send);
    }

    private void send(SipPeer to, Throwable error) {
        if (stopped || !call.confirmed()) {
            busy = false;
            return;
        }
        if (error != null) {
            LOG.log(System.Logger.Level.INFO, "call {0}: session refresh not sent, no connection to the remote: {1}",
                    call.callId(), error.toString());
            busy = false;
            return;
        }
        if (!update && !call.idleForOffer()) {
            busy = false;
            retryLater();
            return;
        }
        SipMethod method = update ? SipMethod.UPDATE : SipMethod.INVITE;
        String branch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
        SIPRequest request = call.newRequest(method, to, branch, 0);
        SipMessages messages = call.core().messages();
        call.addContact(request, to.transport());
        messages.addCapabilities(request);
        messages.add(request, SessionTimerRequest.SESSION_EXPIRES, interval + ";refresher=" + SessionTimerRequest.UAC);
        Transactions transactions = call.core().transactions();
        if (update) {
            inFlight = transactions.startClient(branch, method.name(), to, request.encodeAsBytes(to.transport().name()),
                    new UpdateOutcome());
        } else {
            messages.setSdp(request, call.media().offer());
            inFlight = transactions.startInvite(branch, to, request, new ReInviteOutcome(to, request));
        }
    }

    /** The outcome of an UPDATE of ours. */
    private final class UpdateOutcome implements NonInviteClientTransaction.Listener {

        @Override
        public void onFinalResponse(SIPResponse response) {
            done();
            int status = response.getStatusCode();
            if (status == 405 || status == 501) {
                update = false;                 // the caller takes no UPDATE after all: refresh by re-INVITE
                refresh(interval);
            } else {
                outcome(response);
            }
        }

        @Override
        public void onTimeout() {
            done();
            failed("no response");
        }
    }

    /** The outcome of a re-INVITE of ours: its 2xx carries the answer to our offer, which the ACK follows. */
    private final class ReInviteOutcome implements InviteClientTransaction.Listener {

        private final SipPeer to;
        private final SIPRequest invite;

        ReInviteOutcome(SipPeer to, SIPRequest invite) {
            this.to = to;
            this.invite = invite;
        }

        @Override
        public byte[] onSuccess(SIPResponse response) {
            done();
            MediaSession.Outcome answer = call.media().takeAnswer(sdpOf(response));
            if (answer instanceof MediaSession.Settled settled && settled.changed()) {
                call.listener().onMediaChanged(settled.media());
            } else if (answer instanceof MediaSession.Failed failed) {
                LOG.log(System.Logger.Level.INFO, "call {0}: no usable answer to our refresh ({1}); media unchanged",
                        call.callId(), failed.reason());
            }
            if (!stopped) {
                outcome(response);
            }
            String branch = SipMessages.BRANCH_COOKIE + SipMessages.randomToken();
            return call.newRequest(SipMethod.ACK, to, branch, invite.getCSeq().getSeqNumber())
                    .encodeAsBytes(to.transport().name());
        }

        @Override
        public void onFailure(SIPResponse response) {
            done();
            call.media().dropOffer();
            outcome(response);
        }

        @Override
        public void onTimeout() {
            done();
            call.media().dropOffer();
            failed("no response");
        }
    }

    private void done() {
        inFlight = null;
        busy = false;
    }

    private void outcome(SIPResponse response) {
        if (stopped) {
            return;
        }
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            SessionTimerRequest answered = SessionTimerRequest.of(response);
            if (answered.asked()) {
                // In our request we are the UAC: refresher=uac is us (§7.2).
                call.sessionTimer().start(answered.sessionExpires(),
                        !SessionTimerRequest.UAS.equals(answered.refresher()));
            } else {
                call.sessionTimer().start(interval, true);
            }
        } else if (status == 422) {
            interval = Math.max(interval, SessionTimerRequest.of(response).minSe());
            refresh(interval);
        } else if (status == 491) {
            retryLater();
        } else if (status == 408 || status == 481) {
            failed(status + " " + response.getReasonPhrase());
        } else {
            LOG.log(System.Logger.Level.INFO, "call {0}: session refresh answered {1}; the session expires unless"
                    + " refreshed", call.callId(), String.valueOf(status));
        }
    }

    private void failed(String why) {
        if (!stopped) {
            LOG.log(System.Logger.Level.INFO, "call {0}: session refresh failed ({1})", call.callId(), why);
            call.sessionExpired();
        }
    }

    private void retryLater() {
        long delay = ThreadLocalRandom.current().nextLong(MAX_RETRY_NANOS + 1);
        retry = call.core().transactions().scheduler().schedule(() -> {
            retry = null;
            refresh(interval);
        }, delay);
    }

    /** The SDP body of a 2xx to our re-INVITE, null when it has none. */
    private static String sdpOf(SIPResponse response) {
        byte[] body = response.getRawContent();
        ContentTypeHeader type = response.getContentTypeHeader();
        return body != null && body.length > 0 && type != null && "sdp".equalsIgnoreCase(type.getContentSubType())
                ? new String(body, StandardCharsets.UTF_8) : null;
    }

    /** The dialog is ending: nothing more is sent, an open transaction ends quietly. */
    void stop() {
        stopped = true;
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        if (inFlight != null) {
            inFlight.terminate();
            done();
        }
    }
}
