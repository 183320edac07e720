package gateway.bench.rtp;

import gateway.bench.SpeechLevelTone;
import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.Upsampler8kTo24k;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The stateful 3:1 resamplers, one 20 ms frame per operation: 160 → 480 samples up, 480 → 160 down. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResamplerBenchmark {

    private final Upsampler8kTo24k up = new Upsampler8kTo24k();
    private final Downsampler24kTo8k down = new Downsampler24kTo8k();
    private final short[] in8k = SpeechLevelTone.pcm(1000, 8000, 160);
    private final short[] in24k = SpeechLevelTone.pcm(1000, 24_000, 480);
    private final short[] out24k = new short[480];
    private final short[] out8k = new short[160];
    private final Downsampler24kTo8k quietDown = new Downsampler24kTo8k();
    private final short[] silence24k = new short[480];
    private final Upsampler8kTo24k quietUp = new Upsampler8kTo24k();
    private final short[] silence8k = new short[160];

    @Benchmark
    public short[] upsample160to480() {
        up.process(in8k, 0, 160, out24k, 0);
        return out24k;
    }

    @Benchmark
    public short[] downsample480to160() {
        down.process(in24k, 0, 480, out8k, 0);
        return out8k;
    }

    /** The agent's side between replies: digital silence into a filter at rest. */
    @Benchmark
    public short[] downsampleSilence480to160() {
        quietDown.process(silence24k, 0, 480, out8k, 0);
        return out8k;
    }

    /** The caller's digital silence (an idle line, a muted phone) into a filter at rest. */
    @Benchmark
    public short[] upsampleSilence160to480() {
        quietUp.process(silence8k, 0, 160, out24k, 0);
        return out24k;
    }
}
