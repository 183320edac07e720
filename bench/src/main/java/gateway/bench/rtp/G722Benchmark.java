package gateway.bench.rtp;

import gateway.bench.SpeechLevelTone;
import gateway.rtp.G722Decoder;
import gateway.rtp.G722Encoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * G.722 encode of one 20 ms packet (320 samples at 16 kHz → 160 octets) and decode of one (160 octets → 320
 * samples), with the codec state carried from packet to packet as in a stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class G722Benchmark {

    private static final int SAMPLES = 320;
    private static final int OCTETS = SAMPLES / 2;

    private final G722Encoder encoder = new G722Encoder();
    private final G722Decoder decoder = new G722Decoder();
    private short[] pcm;
    private final byte[] codes = new byte[OCTETS];
    private final short[] decoded = new short[SAMPLES];
    private final byte[] encoded = new byte[OCTETS];

    @Setup
    public void setUp() {
        pcm = SpeechLevelTone.pcm(1000, 16_000, SAMPLES);
        new G722Encoder().encode(pcm, 0, SAMPLES, codes, 0);
    }

    @Benchmark
    public byte[] encode20ms() {
        encoder.encode(pcm, 0, SAMPLES, encoded, 0);
        return encoded;
    }

    @Benchmark
    public short[] decode20ms() {
        decoder.decode(codes, 0, OCTETS, decoded, 0);
        return decoded;
    }
}
