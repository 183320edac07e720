package gateway.bridge.call;

import gateway.library.CallQuality;
import gateway.rtp.MediaQuality;
import gateway.time.CallTimeline;

/** Turns the media leg's measurements into call.json's {@code quality} block: times rounded, positions as ms. */
final class CallQualities {

    private CallQualities() {
    }

    /** The block for {@code q}; the E-model figures only when the caller's stream was heard at all. */
    static CallQuality of(MediaQuality q) {
        boolean heard = q.packetsExpected() > 0;
        CallQuality.RemoteReport remote = q.remote() == null ? null : new CallQuality.RemoteReport(
                q.remote().reports(), tenths(q.remote().fractionLost()), q.remote().packetsLost(),
                tenths(q.remote().jitterMs()));
        return new CallQuality(q.packetsReceived(), q.packetsSent(), q.packetsExpected(), q.packetsLost(),
                q.packetsLate(), q.packetsDuplicated(), q.concealedMs(), tenths(q.jitterMs()),
                tenths(q.jitterMaxMs()), q.rttMs() < 0 ? null : tenths(q.rttMs()),
                q.rttMaxMs() < 0 ? null : tenths(q.rttMaxMs()), tenths(q.bufferMs()), q.streamRestarts(), remote,
                heard ? tenths(q.rFactor()) : null, heard ? Math.round(q.mos() * 100) / 100.0 : null,
                q.losses().stream().map(l -> new CallQuality.LossStretch(
                        CallTimeline.samplesToMs(Math.max(0, l.startPosition())),
                        CallTimeline.samplesToMsRoundedUp(Math.max(0, l.endPosition())), l.packets())).toList());
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
