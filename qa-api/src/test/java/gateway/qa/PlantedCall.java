package gateway.qa;

import gateway.library.CallLog;
import gateway.library.CallMetadata;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecordingService;
import gateway.testkit.PlantedSpeech;
import gateway.testkit.Signals;
import java.util.concurrent.TimeUnit;

/**
 * A call whose conversation is known ({@link PlantedSpeech}), recorded through the real recorder 20 ms at a time,
 * so its analytics are measured as a real call's are.
 */
final class PlantedCall {

    private static final int TICK = 480;

    private final PlantedSpeech speech;

    PlantedCall(long ms) {
        speech = new PlantedSpeech(ms);
    }

    PlantedCall caller(long fromMs, long toMs) {
        speech.caller(fromMs, toMs);
        return this;
    }

    PlantedCall agent(long fromMs, long toMs) {
        speech.agent(fromMs, toMs);
        return this;
    }

    /** Records the call with {@code service} and waits until its files are final. */
    void record(RecordingService service, CallMetadata meta, String endReason, CallLog log) throws Exception {
        short[] caller = speech.callerChannel();
        short[] agent = speech.agentChannel();
        CallRecording rec = service.start(meta);
        for (int at = 0; at < caller.length; at += TICK) {
            int n = Math.min(TICK, caller.length - at);
            rec.caller(at, caller, at, n);
            rec.assistant(at, agent, at, n);
        }
        long ms = caller.length * 1000L / Signals.REALTIME_RATE;
        rec.finish(new CallSummary(meta.startedAt().plusMillis(ms), caller.length, endReason, log))
                .get(10, TimeUnit.SECONDS);
    }
}
