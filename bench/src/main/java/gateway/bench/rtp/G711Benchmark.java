package gateway.bench.rtp;

import gateway.bench.SpeechLevelTone;
import gateway.rtp.G711;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** G.711 decode of one 20 ms packet (160 bytes → 160 samples) and encode of one (160 samples → 160 bytes). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class G711Benchmark {

    private static final int SAMPLES = 160;

    @Param({"PCMU", "PCMA"})
    public G711 codec;

    private byte[] codes;
    private short[] pcm;
    private final short[] decoded = new short[SAMPLES];
    private final byte[] encoded = new byte[SAMPLES];

    @Setup
    public void setUp() {
        codes = SpeechLevelTone.g711(codec, 1000, SAMPLES);
        pcm = SpeechLevelTone.pcm(1000, 8000, SAMPLES);
    }

    @Benchmark
    public short[] decode160() {
        G711 c = codec;
        for (int i = 0; i < SAMPLES; i++) {
            decoded[i] = c.decode(codes[i]);
        }
        return decoded;
    }

    @Benchmark
    public byte[] encode160() {
        G711 c = codec;
        for (int i = 0; i < SAMPLES; i++) {
            encoded[i] = c.encode(pcm[i]);
        }
        return encoded;
    }
}
