package gateway.bridge.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.bridge.metrics.GatewayMetrics;
import gateway.realtime.SessionSettings;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.rtp.G711;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpSession;
import gateway.rtp.RtpSettings;
import gateway.sip.NegotiatedMedia;
import gateway.testkit.Signals;
import gateway.time.ManualScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whole calls on the manual clock, without SIPp: each {@link Line} is a {@link Call} with a scripted dialog, a real
 * RTP session on an EmbeddedChannel (its packets in and out are the caller's), the calls' shared pacing wheel, a
 * {@link ScriptedRealtime} service and a real recorder writing to a test directory. The test thread is every call's
 * event loop: {@link #advanceMillis} moves time and runs what falls due.
 */
final class CallFixture implements AutoCloseable {

    /** Wall time at manual nanoTime 0 (Unix seconds), for expires_at arithmetic. */
    static final long EPOCH_SECONDS = 1_800_000_000L;
    static final InetSocketAddress GATEWAY_RTP = new InetSocketAddress("203.0.113.5", 20000);
    static final int FRAME_8K = 160;
    /** Half the RMS of the agent's test tone ({@code CallTest.agentTone}). */
    static final double LOUD_RMS = 3500;
    /** What the fixture's agent is told unless a test gives its own. */
    static final SessionSettings SESSION = new SessionSettings("Be brief.", "marin", "gpt-4o-mini-transcribe");

    final ManualScheduler scheduler = new ManualScheduler();
    final PacingWheel wheel = new PacingWheel(scheduler);
    final GatewayMetrics metrics = new GatewayMetrics();
    final ScriptedRealtime realtime = new ScriptedRealtime();
    final RecordingService recordings;
    final Path dir;
    private final CallContext ctx;
    /** The profile of the calls placed from now on. */
    private AgentProfile agent;
    private final List<Line> lines = new ArrayList<>();
    private int nextId;
    private RtpSettings rtpSettings = RtpSettings.DEFAULTS;

    CallFixture(Path dir, RealtimePolicy policy) {
        this(dir, policy, null);
    }

    /** Calls that play {@code consent} (or nothing, if null) before the agent speaks. */
    CallFixture(Path dir, RealtimePolicy policy, ConsentPrompt consent) {
        this(dir, policy, consent, AgentProfile.of(SESSION, true), 0);
    }

    /** Calls of {@code agent} that play {@code consent} (or nothing, if null) before the agent speaks. */
    CallFixture(Path dir, RealtimePolicy policy, ConsentPrompt consent, AgentProfile agent) {
        this(dir, policy, consent, agent, 0);
    }

    /** Calls as above that ring at least {@code answerDelayMs} before the answer ({@code sip.answer-delay-ms}). */
    CallFixture(Path dir, RealtimePolicy policy, ConsentPrompt consent, int answerDelayMs) {
        this(dir, policy, consent, AgentProfile.of(SESSION, true), answerDelayMs);
    }

    /** Calls of {@code agent} as above that ring at least {@code answerDelayMs} before the answer. */
    CallFixture(Path dir, RealtimePolicy policy, ConsentPrompt consent, AgentProfile agent, int answerDelayMs) {
        this.dir = dir;
        this.recordings = new RecordingService(dir, new RecorderSettings(5, 16));
        InstantSource wall = () -> Instant.ofEpochSecond(EPOCH_SECONDS).plusNanos(scheduler.nanoTime());
        this.agent = agent;
        this.ctx = new CallContext("203.0.113.5", ProfileRouter.always(agent), policy, recordings, metrics, wall,
                consent, answerDelayMs);
    }

    /** Calls placed from now on do not tell the model the caller's keys ({@code agent.dtmf-to-model} false). */
    CallFixture keysNotToModel() {
        agent = new AgentProfile(agent.name(), agent.base(), agent.greeting(), agent.silence(), agent.pauseTools(),
                agent.endCallTool(), agent.dtmfTool(), agent.tools(), false, agent.contextHeaders(),
                agent.instructions(), agent.allowedSources());
        return this;
    }

    /** Calls placed from now on end after {@code seconds} without RTP or RTCP from the caller (not on hold). */
    CallFixture rtpTimeout(long seconds) {
        rtpSettings = new RtpSettings(TimeUnit.SECONDS.toNanos(seconds), InstantSource.system());
        return this;
    }

    static RealtimePolicy policy() {
        return new RealtimePolicy(5_000, 300_000, 3, 250, 8_000, 2_000);
    }

    /** Wall time now in Unix seconds, rounded down. */
    long epochSecondsNow() {
        return EPOCH_SECONDS + scheduler.nanoTime() / 1_000_000_000L;
    }

    /** Places a call offering {@code offer} (null: no SDP); it rings and opens its legs. */
    Line place(NegotiatedMedia offer) {
        return place(offer, Map.of());
    }

    /** As {@link #place(NegotiatedMedia)}, with an INVITE carrying {@code headers} (by lower-case name). */
    Line place(NegotiatedMedia offer, Map<String, List<String>> headers) {
        FakeDialog dialog = new FakeDialog("call-" + nextId + "@192.0.2.10", offer);
        dialog.headers.putAll(headers);
        Line line = new Line(dialog, "call-" + nextId++);
        lines.add(line);
        line.call.begin();
        scheduler.runDue();
        return line;
    }

    /** Places a call and answers it: the next scripted session is created, configured and the 200 goes out. */
    Line answered(NegotiatedMedia offer) {
        Line line = place(offer);
        ScriptedRealtime.Session session = realtime.last();
        session.created("sess_" + realtime.sessions.size(), EPOCH_SECONDS + 3600);
        session.updated("sess_" + realtime.sessions.size(), EPOCH_SECONDS + 3600);
        scheduler.runDue();
        return line;
    }

    void advanceMillis(long ms) {
        for (long i = 0; i < ms; i++) {
            scheduler.advanceMillis(1);
            lines.forEach(Line::collect);
        }
    }

    /** Every line sends one 20 ms packet of {@code payload} (or silence) per 20 ms, for {@code ms}. */
    void talk(long ms, Line... talking) {
        for (long t = 0; t < ms; t += 20) {
            for (Line line : talking) {
                line.sendFrame();
            }
            advanceMillis(20);
        }
    }

    @Override
    public void close() {
        for (Line line : lines) {
            line.collect();
            line.channel.finishAndReleaseAll();
        }
        recordings.close();
    }

    /** One RTP packet the gateway sent. */
    record RtpOut(boolean marker, int payloadType, int sequence, long timestamp, byte[] payload,
                  InetSocketAddress recipient) {

        /** RMS of the decoded payload. */
        double rms(G711 codec) {
            double sum = 0;
            for (byte b : payload) {
                double s = codec.decode(b);
                sum += s * s;
            }
            return Math.sqrt(sum / Math.max(1, payload.length));
        }
    }

    /** One call under test and the caller's end of its media. */
    final class Line {
        final FakeDialog dialog;
        final Call call;
        final EmbeddedChannel channel = new EmbeddedChannel();
        final List<RtpOut> sent = new ArrayList<>();
        final List<RtpSession> sessions = new ArrayList<>();
        private int sequence = 1000;
        private long timestamp = 50_000;
        private int toneSample;
        private byte[] nextPayload;
        private G711 codec = G711.PCMU;
        private int payloadType = 0;
        /** Every audio payload the caller sent, joined in order. */
        final java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();

        Line(FakeDialog dialog, String id) {
            this.dialog = dialog;
            CallRuntime runtime = new CallRuntime(scheduler, (spec, listener) -> {
                RtpSession session = RtpSession.attach(channel, null, spec, wheel, listener, rtpSettings);
                sessions.add(session);
                return CompletableFuture.completedFuture(
                        new RtpMediaLeg(session, GATEWAY_RTP.getPort(), spec, () -> { }));
            }, realtime);
            this.call = new Call(ctx, dialog, runtime, id, agent);
        }

        /** The caller's packets from now on use this codec and payload type. */
        void sendAs(G711 newCodec, int newPayloadType) {
            codec = newCodec;
            payloadType = newPayloadType;
        }

        /** The caller's next packets carry a 1 kHz tone at about −12 dBFS. */
        void toneOn() {
            nextPayload = null;
        }

        /** Sends one 20 ms packet: the tone, continuing its phase. */
        void sendFrame() {
            short[] tone = Signals.sine(1000, 8000, 8000, toneSample, FRAME_8K);
            byte[] payload = new byte[FRAME_8K];
            for (int i = 0; i < FRAME_8K; i++) {
                payload[i] = codec.encode(tone[i]);
            }
            toneSample += FRAME_8K;
            sendRtp(payload);
        }

        /** One 20 ms packet of the tone that the network loses: its sequence number and time pass, unsent. */
        void loseFrame() {
            toneSample += FRAME_8K;
            sequence++;
            timestamp += FRAME_8K;
        }

        /** Sends one RTP packet to the gateway, the next in sequence and time. */
        void sendRtp(byte[] payload) {
            said.writeBytes(payload);
            sendPacket(sequence++, timestamp, payload);
            timestamp += payload.length;
        }

        /**
         * Sends an RTP packet with the given sequence number and timestamp (a network that reorders, drops and
         * repeats them); once the gateway's port is closed the packet is lost, as UDP is.
         */
        void sendPacket(int seq, long ts, byte[] payload) {
            if (!channel.isOpen()) {
                return;
            }
            ByteBuf b = Unpooled.buffer(12 + payload.length);
            b.writeByte(0x80);
            b.writeByte(payloadType);
            b.writeShort(seq);
            b.writeInt((int) ts);
            b.writeInt(0x1234_5678);
            b.writeBytes(payload);
            channel.writeInbound(new DatagramPacket(b, GATEWAY_RTP, FakeDialog.CALLER_RTP));
        }

        /**
         * Presses key {@code event} (RFC 4733 §3.2) as the caller's phone does: {@code updates} packets 20 ms apart
         * without the E bit, then the end packet three times, all with the timestamp of the first, the duration
         * growing to {@code (updates + 1) * 20} ms; the audio's timestamp then moves on past them.
         */
        void pressKey(int event, int updates) {
            int audioPayloadType = payloadType;
            payloadType = FakeDialog.PCMU.telephoneEventPt();
            for (int i = 0; i < updates + 3; i++) {
                int duration = Math.min(i + 1, updates + 1) * FRAME_8K;
                sendPacket(sequence++, timestamp, new byte[] {(byte) event, (byte) ((i >= updates ? 0x80 : 0) | 10),
                        (byte) (duration >> 8), (byte) duration});
                advanceMillis(20);
            }
            timestamp += (long) (updates + 3) * FRAME_8K;
            payloadType = audioPayloadType;
        }

        /** Moves what the gateway sent into {@link #sent}. */
        void collect() {
            for (Object o; (o = channel.readOutbound()) != null; ) {
                DatagramPacket packet = (DatagramPacket) o;
                try {
                    ByteBuf b = packet.content();
                    int at = b.readerIndex();
                    boolean marker = (b.getByte(at + 1) & 0x80) != 0;
                    int pt = b.getByte(at + 1) & 0x7f;
                    byte[] payload = new byte[b.readableBytes() - 12];
                    b.getBytes(at + 12, payload);
                    sent.add(new RtpOut(marker, pt, b.getUnsignedShort(at + 2), b.getUnsignedInt(at + 4), payload,
                            packet.recipient()));
                } finally {
                    packet.release();
                }
            }
        }

        /**
         * Packets sent after index {@code from} that carry the agent's tone (RMS above half of its 7070), not
         * silence nor the few samples of resampler ring-out that follow a talkspurt.
         */
        long loudPacketsSince(int from) {
            return sent.subList(from, sent.size()).stream().filter(p -> p.rms(codec) > LOUD_RMS).count();
        }

        Path directory() {
            return dir.resolve(call.id());
        }

        /** The caller hangs up (BYE). */
        void hangUp() {
            dialog.listener.onRemoteBye();
            scheduler.runDue();
        }

        /** call.json, once the call has finished. */
        JsonNode callJson() throws Exception {
            call.finished().get(10, TimeUnit.SECONDS);
            return new ObjectMapper().readTree(Files.readString(directory().resolve("call.json")));
        }
    }
}
