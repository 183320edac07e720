package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.realtime.AudioFormat;
import gateway.realtime.ClientEvent;
import gateway.realtime.RealtimeLink;
import gateway.realtime.RealtimeListener;
import gateway.realtime.ServerEvent;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.rtp.G711;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpSession;
import gateway.testkit.Allocations;
import gateway.testkit.Signals;
import gateway.time.CallTimeline;
import gateway.time.ManualScheduler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A talking call's per-packet work, both ways, measured with the JVM's per-thread allocation counter: caller audio in
 * ({@link Call#onCallerNarrowband} and {@link Call#onCallerAudio}: to the live Realtime session, its input clock,
 * the copy kept for a resend ({@link SentAudio}: the caller's codes, or the model's), the metrics, the timeline) and
 * agent audio out ({@link Call#nextPlayoutFrame}: the playout queue, the turn log, the metrics, the timeline). The
 * call's legs are real except the Realtime socket, a link that only counts (the socket's own framing is measured in
 * the realtime-client's benchmarks). The recording is paused while measured, so its tap stays out of the figure: the
 * recorder's blocks are {@code RecordingAllocationFreeTest}'s, and a pause takes the same branch a packet takes.
 */
class CallAllocationFreeTest {

    private static final int FRAME = 480;
    /** Four seconds a run: a byte allocated per packet would exceed {@link Allocations#BOUND_BYTES}. */
    private static final int FRAMES_PER_RUN = 200;
    private static final int WARM_UPS = 3;
    private static final int MEASURED_RUNS = 3;
    /** Agent audio queued before measuring: more than all runs play. */
    private static final int REPLY_MS = (Allocations.maxRuns(WARM_UPS, MEASURED_RUNS) + 1) * FRAMES_PER_RUN * 20;

    @TempDir
    Path dir;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private RecordingService recordings;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        if (recordings != null) {
            recordings.close();
        }
    }

    /** A Realtime session that takes everything and keeps only counts. */
    private static final class CountingLink implements RealtimeLink {
        final RealtimeListener listener;
        long appendedSamples;
        int events;

        CountingLink(RealtimeListener listener) {
            this.listener = listener;
        }

        @Override
        public void send(ClientEvent event) {
            events++;
        }

        @Override
        public void appendAudio(short[] pcm24k, int offset, int length) {
            appendedSamples += length;
        }

        @Override
        public void appendCodes(byte[] codes, int offset, int length) {
            appendedSamples += length * CallTimeline.SAMPLES_PER_RTP_UNIT;
        }

        @Override
        public long appendedSamples() {
            return appendedSamples;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void callerAudioInAndAgentAudioOutAllocateNothingPerPacket() {
        measure(AudioFormat.PCM24K);
    }

    /** {@code realtime.audio-format=pcmu}: the caller's octets to the model, the agent's octets to the packet. */
    @Test
    void inMuLawModeTheOctetsBothWaysAllocateNothingPerPacket() {
        measure(AudioFormat.PCMU);
    }

    private void measure(AudioFormat format) {
        boolean g711 = format.g711();
        recordings = new RecordingService(dir, new RecorderSettings(5, 16));
        AgentProfile agent = AgentProfile.of(CallFixture.SESSION.withAudioFormat(format), false);
        CallContext ctx = new CallContext("203.0.113.5", ProfileRouter.always(agent),
                CallFixture.policy(), recordings, new GatewayMetrics(),
                () -> Instant.ofEpochSecond(CallFixture.EPOCH_SECONDS), null, 0);
        PacingWheel wheel = new PacingWheel(scheduler);
        CountingLink[] link = new CountingLink[1];
        CallRuntime runtime = new CallRuntime(scheduler, (spec, listener) -> CompletableFuture.completedFuture(
                new RtpMediaLeg(RtpSession.attach(channel, spec, wheel, listener), 20_000, spec, () -> { })),
                listener -> {
                    link[0] = new CountingLink(listener);
                    return CompletableFuture.completedFuture(link[0]);
                });
        Call call = new Call(ctx, new FakeDialog("alloc@192.0.2.10", FakeDialog.PCMU), runtime, "alloc", agent);
        call.begin();
        scheduler.runDue();
        link[0].listener.onEvent(new ServerEvent.SessionUpdated("sess_A", ServerEvent.NO_TIME));
        scheduler.runDue();
        assertEquals(CallState.TALKING, call.state());
        call.pauseRecording(true, "test");
        scheduler.runDue();
        // A first reply played out whole leaves the loop's playout pool as large as the measured reply needs.
        reply(call, link[0].listener, "resp_0", "item_A", g711);
        short[] frame = new short[FRAME];
        long[] position = {0};
        while (call.nextPlayoutFrame(frame, FRAME, position[0])) {
            position[0] += FRAME;
        }
        reply(call, link[0].listener, "resp_1", "item_B", g711);

        short[] caller = Signals.sine(1000, 24_000, 8000, FRAME);
        byte[] callerCodes = new byte[FRAME / CallTimeline.SAMPLES_PER_RTP_UNIT];
        short[] caller8k = new short[callerCodes.length];
        for (int i = 0; i < callerCodes.length; i++) {
            caller8k[i] = G711.PCMU.decode(callerCodes[i]);
        }
        byte[] packet = new byte[callerCodes.length];
        long appendedBefore = link[0].appendedSamples;
        int[] played = {0};
        Allocations.Measurement measured = Allocations.leastOf(WARM_UPS, MEASURED_RUNS, () -> {
            for (int f = 0; f < FRAMES_PER_RUN; f++) {
                if (g711) {
                    call.onCallerAudio(caller, 0, FRAME, position[0], callerCodes, 0);
                } else {
                    call.onCallerNarrowband(caller8k, caller8k.length, G711.PCMU, callerCodes);
                    call.onCallerAudio(caller, 0, FRAME, position[0]);
                }
                if (call.nextPlayoutFrame(frame, FRAME, position[0])
                        && (!g711 || call.playoutCodes(packet, packet.length))) {
                    played[0]++;
                }
                position[0] += FRAME;
            }
        });
        long allocated = measured.bytes();
        System.out.println("call per-packet path, " + format.configName() + ": " + allocated
                + " bytes allocated for " + FRAMES_PER_RUN + " packets each way");
        assertEquals((long) measured.runs() * FRAMES_PER_RUN * FRAME, link[0].appendedSamples - appendedBefore,
                "every caller packet went to the session");
        assertEquals(measured.runs() * FRAMES_PER_RUN, played[0], "every tick played agent audio");
        assertTrue(call.resendRingBytes() < 20_000, "the resend ring kept the caller's codes: "
                + call.resendRingBytes() + " bytes");
        assertTrue(allocated < Allocations.BOUND_BYTES, "allocated " + allocated + " bytes for " + FRAMES_PER_RUN
                + " packets each way");
    }

    /**
     * The live session creates a response and sends {@link #REPLY_MS} of its audio at once: 24 kHz samples, or
     * μ-law octets when {@code g711}.
     */
    private void reply(Call call, RealtimeListener session, String responseId, String itemId, boolean g711) {
        session.onEvent(new ServerEvent.ResponseCreated(responseId));
        if (g711) {
            short[] audio = Signals.sine(440, 8000, 10_000, REPLY_MS * 8);
            byte[] codes = new byte[audio.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = G711.PCMU.encode(audio[i]);
            }
            session.onAudioCodes(responseId, itemId, codes, 0, codes.length);
        } else {
            short[] audio = Signals.sine(440, 24_000, 10_000, REPLY_MS * 24);
            session.onAudioDelta(responseId, itemId, audio, 0, audio.length);
        }
        scheduler.runDue();
        assertEquals(CallState.TALKING, call.state());
    }
}
