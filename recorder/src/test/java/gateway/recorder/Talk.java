package gateway.recorder;

import gateway.testkit.Signals;
import gateway.time.CallTimeline;

/** Both legs of the testkit's stereo pattern written into a recording in 20 ms writes, as a live call makes them. */
final class Talk {

    private Talk() {
    }

    /** Positions {@code [from, to)} of both legs. */
    static void bothLegs(CallRecording call, long from, long to) {
        Signals.writePattern(from, to, CallTimeline.FRAME_SAMPLES, (p, caller, assistant, length) -> {
            call.caller(p, caller, 0, length);
            call.assistant(p, assistant, 0, length);
        });
    }
}
