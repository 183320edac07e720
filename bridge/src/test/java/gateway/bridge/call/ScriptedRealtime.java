package gateway.bridge.call;

import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeConnector;
import gateway.realtime.RealtimeLink;
import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory Realtime service for call tests on the manual clock: every connect opens a {@link Session} (or fails,
 * when the test says so), which records what the call sends and lets the test play the server's side.
 */
final class ScriptedRealtime implements RealtimeConnector {

    final List<Session> sessions = new ArrayList<>();
    private int refuseFrom = Integer.MAX_VALUE;
    private int connects;

    /** Connection attempts from the n-th on (1-based) fail. */
    void refuseFrom(int n) {
        refuseFrom = n;
    }

    int connects() {
        return connects;
    }

    Session session(int index) {
        return sessions.get(index);
    }

    Session last() {
        return sessions.get(sessions.size() - 1);
    }

    @Override
    public CompletableFuture<RealtimeLink> connect(RealtimeListener listener) {
        connects++;
        if (connects >= refuseFrom) {
            return CompletableFuture.failedFuture(new IOException("HTTP 503 from the scripted service"));
        }
        Session session = new Session(listener);
        sessions.add(session);
        return CompletableFuture.completedFuture(session);
    }

    /** One session: the client events received, the audio appended (kept), and the server's side. */
    final class Session implements RealtimeLink {
        final List<ClientEvent> received = new ArrayList<>();
        private final RealtimeListener listener;
        private short[] audio = new short[24_000];
        private int appended;
        private int pcmAppended;
        private byte[] codes = new byte[8_000];
        private int codesAppended;
        private boolean open = true;
        private boolean closedByCall;
        private boolean closedByServer;
        private RuntimeException appendFailure;

        Session(RealtimeListener listener) {
            this.listener = listener;
        }

        @Override
        public void send(ClientEvent event) {
            if (open) {
                received.add(event);
            }
        }

        /** The call's playout ticks this session was given while open ({@link RealtimeLink#tick}). */
        int ticks;

        @Override
        public void tick() {
            if (open) {
                ticks++;
            }
        }

        @Override
        public void appendAudio(short[] pcm24k, int offset, int length) {
            if (appendFailure != null) {
                throw appendFailure;
            }
            if (!open) {
                return;
            }
            if (pcmAppended + length > audio.length) {
                audio = java.util.Arrays.copyOf(audio, Math.max(audio.length * 2, pcmAppended + length));
            }
            System.arraycopy(pcm24k, offset, audio, pcmAppended, length);
            pcmAppended += length;
            appended += length;
        }

        @Override
        public void appendCodes(byte[] sent, int offset, int length) {
            if (appendFailure != null) {
                throw appendFailure;
            }
            if (!open) {
                return;
            }
            if (codesAppended + length > codes.length) {
                codes = java.util.Arrays.copyOf(codes, Math.max(codes.length * 2, codesAppended + length));
            }
            System.arraycopy(sent, offset, codes, codesAppended, length);
            codesAppended += length;
            appended += length * gateway.time.CallTimeline.SAMPLES_PER_RTP_UNIT;
        }

        /** The G.711 codes this session received, in order (a session in pcmu or pcma). */
        byte[] appendedCodes() {
            return java.util.Arrays.copyOf(codes, codesAppended);
        }

        /** Every later append throws this: a fault injected into one call's packet path. */
        void failAppendsWith(RuntimeException failure) {
            appendFailure = failure;
        }

        @Override
        public long appendedSamples() {
            return appended;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                closedByCall = true;
                listener.onClosed(1000, "closed by the gateway");
            }
        }

        boolean closedByCall() {
            return closedByCall;
        }

        /** The caller audio this session received, in order. */
        short[] appendedAudio() {
            return java.util.Arrays.copyOf(audio, pcmAppended);
        }

        /** The types of the client events received, in order. */
        List<String> types() {
            return received.stream().map(ClientEvent::type).toList();
        }

        <T extends ClientEvent> List<T> received(Class<T> type) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }

        void event(ServerEvent event) {
            listener.onEvent(event);
        }

        void created(String sessionId, long expiresAt) {
            event(new ServerEvent.SessionCreated(sessionId, expiresAt));
        }

        void updated(String sessionId, long expiresAt) {
            event(new ServerEvent.SessionUpdated(sessionId, expiresAt));
        }

        void delta(String responseId, String itemId, short[] pcm) {
            listener.onAudioDelta(responseId, itemId, pcm, 0, pcm.length);
        }

        /** A delta of a session in G.711: the model's codes. */
        void codes(String responseId, String itemId, byte[] sent) {
            listener.onAudioCodes(responseId, itemId, sent, 0, sent.length);
        }

        /** The server closes the socket (a close frame with this code, or -1 for a dropped connection). */
        void serverCloses(int code, String reason) {
            if (!closedByServer && !closedByCall) {
                open = false;
                closedByServer = true;
                listener.onClosed(code, reason);
            }
        }

        /**
         * The server's close frame has arrived and the socket refuses input, but the call has not been told yet
         * (its loop still has packets to read before the close event): {@link #serverCloses} tells it.
         */
        void closeFrameArrives() {
            open = false;
        }
    }
}
