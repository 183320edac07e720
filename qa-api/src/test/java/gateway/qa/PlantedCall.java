package gateway.qa;

import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecordingService;
import gateway.testkit.Signals;
import java.util.concurrent.TimeUnit;

/**
 * A call whose conversation is known: tones where each side speaks (caller 300 Hz, agent 700 Hz, about -12 dBFS),
 * silence elsewhere, recorded through the real recorder 20 ms at a time, so its analytics are measured as a real
 * call's are.
 */
final class PlantedCall {

    private static final int SAMPLES_PER_MS = Signals.REALTIME_RATE / 1000;
    private static final double LEVEL = 8_000;
    private static final int TICK = 480;

    private final short[] caller;
    private final short[] agent;

    PlantedCall(long ms) {
        caller = new short[(int) ms * SAMPLES_PER_MS];
        agent = new short[(int) ms * SAMPLES_PER_MS];
    }

    PlantedCall caller(long fromMs, long toMs) {
        return speak(caller, 300, fromMs, toMs);
    }

    PlantedCall agent(long fromMs, long toMs) {
        return speak(agent, 700, fromMs, toMs);
    }

    private PlantedCall speak(short[] channel, double hz, long fromMs, long toMs) {
        int from = (int) fromMs * SAMPLES_PER_MS;
        short[] tone = Signals.sine(hz, Signals.REALTIME_RATE, LEVEL, from, (int) (toMs - fromMs) * SAMPLES_PER_MS);
        System.arraycopy(tone, 0, channel, from, tone.length);
        return this;
    }

    /** Records the call with {@code service} and waits until its files are final. */
    void record(RecordingService service, CallMetadata meta, String endReason, CallLog log) throws Exception {
        CallRecording rec = service.start(meta);
        for (int at = 0; at < caller.length; at += TICK) {
            int n = Math.min(TICK, caller.length - at);
            rec.caller(at, caller, at, n);
            rec.assistant(at, agent, at, n);
        }
        long ms = caller.length / SAMPLES_PER_MS;
        rec.finish(new CallSummary(meta.startedAt().plusMillis(ms), caller.length, endReason, log))
                .get(10, TimeUnit.SECONDS);
    }
}
