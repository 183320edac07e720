package gateway.recorder;

import gateway.library.MissingRange;
import gateway.library.RecorderStats;
import java.util.List;

/**
 * The event loop's side of a call's losses, copied when it sends the writer a command: samples late, rejected and
 * lost, writes that lost some, and the ranges lost.
 */
record ProducerStats(long lateSamples, long rejectedSamples, long lostSamples, long droppedWrites,
                     List<MissingRange> missing) {

    static final ProducerStats NONE = new ProducerStats(0, 0, 0, 0, List.of());

    ProducerStats {
        missing = List.copyOf(missing);
    }

    static ProducerStats of(CallAudio audio) {
        return new ProducerStats(audio.lateSamples(), audio.rejectedSamples(), audio.lostSamples(),
                audio.droppedWrites(), audio.missing());
    }

    RecorderStats withFrames(long frames) {
        return new RecorderStats(frames, lateSamples, rejectedSamples, lostSamples, droppedWrites);
    }
}
