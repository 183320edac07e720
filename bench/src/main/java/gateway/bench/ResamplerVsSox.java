package gateway.bench;

import gateway.rtp.Downsampler24kTo8k;
import gateway.rtp.Upsampler8kTo24k;
import gateway.testkit.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures the gateway's 3:1 resamplers and sox's {@code rate -v} (libsoxr, very high quality) on the same inputs
 * in one run: passband ripple, image and alias rejection, round-trip SNR and CPU cost per sample, and prints one
 * plain table.
 *
 * <p>Usage: {@code java -cp benchmarks.jar gateway.bench.ResamplerVsSox [sox-binary] [work-dir]}. sox is run with
 * {@code -D} (no dither), so both resamplers round plainly to 16 bits and neither measurement includes dither noise.
 */
public final class ResamplerVsSox {

    private static final int RATE_8K = 8000;
    private static final int RATE_24K = 24_000;
    /** Test tone amplitude: −10 dBFS, high above the 16-bit rounding floor (≈ −98 dB re this tone) without clipping. */
    private static final double AMPLITUDE = 10_000;
    /** Each test tone lasts 1 s; measurements skip the first and last part, where the filters start and stop. */
    private static final double TONE_SECONDS = 1.0;
    /** FFT size for the image measurement at 24 kHz: 0.68 s, 1.46 Hz bins. */
    private static final int FFT_SIZE = 16_384;
    /** Lowest image / alias frequency the filter must reject: 8 kHz − 3.4 kHz. */
    private static final double STOPBAND_EDGE = 4600;
    /** Bins either side of a tone counted as the tone (the Blackman-Harris main lobe is ±4 bins). */
    private static final int TONE_BINS = 8;
    /** Length of the speed-test signal: 10 minutes, so sox's process start-up is a negligible share. */
    private static final int SPEED_SECONDS = 600;
    /** Samples per call in our speed test: one 20 ms packet at 8 kHz, as the gateway calls it. */
    private static final int FRAME_8K = 160;
    private static final int SPEED_PASSES = 5;
    private static final int SOX_RUNS = 3;
    private static final double PASSBAND_LIMIT_DB = 0.1;
    /** Largest resampler delay searched for, in 8 kHz samples. */
    private static final int MAX_LAG = 200;
    private static final double STOPBAND_LIMIT_DB = 60;

    /** Where the speed loop's checksum goes, so the JIT cannot drop the work. */
    static volatile long sink;

    private final String sox;
    private final Path work;

    private ResamplerVsSox(String sox, Path work) {
        this.sox = sox;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        String sox = args.length > 0 ? args[0] : "sox";
        Path work = args.length > 1 ? Path.of(args[1]) : TempDirs.create("resampler-vs-sox");
        Files.createDirectories(work);
        Locale.setDefault(Locale.ROOT);
        try {
            new ResamplerVsSox(sox, work).run(System.out);
        } finally {
            if (args.length <= 1) {
                TempDirs.delete(work);
            }
        }
    }

    /** One resampler under test: either ours (in process) or sox (a process per file). */
    private interface Resampler {
        short[] up(short[] in8k) throws IOException, InterruptedException;

        short[] down(short[] in24k) throws IOException, InterruptedException;
    }

    private static final class Ours implements Resampler {
        @Override
        public short[] up(short[] in8k) {
            short[] out = new short[in8k.length * 3];
            new Upsampler8kTo24k().process(in8k, 0, in8k.length, out, 0);
            return out;
        }

        @Override
        public short[] down(short[] in24k) {
            short[] out = new short[in24k.length / 3];
            new Downsampler24kTo8k().process(in24k, 0, in24k.length - in24k.length % 3, out, 0);
            return out;
        }
    }

    private final class Sox implements Resampler {
        @Override
        public short[] up(short[] in8k) throws IOException, InterruptedException {
            return convert(in8k, RATE_8K, RATE_24K);
        }

        @Override
        public short[] down(short[] in24k) throws IOException, InterruptedException {
            return convert(in24k, RATE_24K, RATE_8K);
        }

        private short[] convert(short[] in, int from, int to) throws IOException, InterruptedException {
            Path src = work.resolve("q-in.raw");
            Path dst = work.resolve("q-out.raw");
            writeRaw(src, in);
            runSox(src, from, dst, to, true);
            return readRaw(dst);
        }
    }

    private void run(PrintStream out) throws Exception {
        Resampler ours = new Ours();
        Resampler sox = new Sox();
        List<String[]> rows = new ArrayList<>();
        Quality q1 = measure(ours);
        Quality q2 = measure(sox);
        rows.add(row("passband gain 100-3400 Hz, 8k->24k: min / max dB", q1.upMinDb, q1.upMaxDb, q2.upMinDb,
                q2.upMaxDb));
        rows.add(row("passband ripple 8k->24k (max-min), dB", q1.upMaxDb - q1.upMinDb, q2.upMaxDb - q2.upMinDb));
        rows.add(row("passband gain 100-3400 Hz, 24k->8k: min / max dB", q1.downMinDb, q1.downMaxDb, q2.downMinDb,
                q2.downMaxDb));
        rows.add(row("passband ripple 24k->8k (max-min), dB", q1.downMaxDb - q1.downMinDb,
                q2.downMaxDb - q2.downMinDb));
        rows.add(row("image rejection 8k->24k, worst tone, dB", q1.imageRejectionDb, q2.imageRejectionDb));
        rows.add(row("alias rejection 24k->8k, worst tone, dB", q1.aliasRejectionDb, q2.aliasRejectionDb));
        rows.add(row("SNR 1 kHz after 8k->24k->8k, dB", q1.roundTripSnrDb, q2.roundTripSnrDb));
        rows.add(row("  round-trip delay found (8 kHz samples)", q1.roundTripDelay, q2.roundTripDelay));
        rows.add(row("  reference: SNR of the 16-bit input itself, dB", inputSnrDb(), inputSnrDb()));

        short[] speech8k = speedSignal(RATE_8K);
        short[] speech24k = speedSignal(RATE_24K);
        double oursUp = oursSpeed(speech8k, true);
        double oursDown = oursSpeed(speech24k, false);
        SoxSpeed soxUp = soxSpeed(speech8k, RATE_8K, RATE_24K);
        SoxSpeed soxDown = soxSpeed(speech24k, RATE_24K, RATE_8K);
        rows.add(row("speed 8k->24k, input samples per CPU-second (M)", oursUp / 1e6, soxUp.rateMillions()));
        rows.add(row("  x real time per core", oursUp / RATE_8K, soxUp.rateMillions() * 1e6 / RATE_8K));
        rows.add(row("  sox net of its plain copy (M samples/s)", Double.NaN, soxUp.netRateMillions()));
        rows.add(row("speed 24k->8k, input samples per CPU-second (M)", oursDown / 1e6, soxDown.rateMillions()));
        rows.add(row("  x real time per core", oursDown / RATE_24K, soxDown.rateMillions() * 1e6 / RATE_24K));
        rows.add(row("  sox net of its plain copy (M samples/s)", Double.NaN, soxDown.netRateMillions()));

        out.printf("Resampler comparison: gateway (Kaiser windowed-sinc FIR, 91 taps at 24 kHz)"
                + " vs sox rate -v (libsoxr)%n");
        out.printf("java %s (%s); %s; %d cores%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), soxVersion(), Runtime.getRuntime().availableProcessors());
        out.printf("Tones at %.0f (−10 dBFS), 1 s each; passband tones 100, 200 … 3400 Hz;"
                        + " alias tones 4600 … 11900 Hz.%n",
                AMPLITUDE);
        out.printf("Requirement for ours: passband within ±%.1f dB, image and alias rejection ≥ %.0f dB.%n%n",
                PASSBAND_LIMIT_DB, STOPBAND_LIMIT_DB);
        out.printf("%-52s %19s %19s%n", "measure", "ours", "sox -v");
        for (String[] r : rows) {
            out.printf("%-52s %19s %19s%n", r[0], r[1], r[2]);
        }
        out.println();
        boolean passband = Math.max(Math.abs(q1.upMinDb), Math.abs(q1.upMaxDb)) <= PASSBAND_LIMIT_DB
                && Math.max(Math.abs(q1.downMinDb), Math.abs(q1.downMaxDb)) <= PASSBAND_LIMIT_DB;
        boolean stopband = q1.imageRejectionDb >= STOPBAND_LIMIT_DB && q1.aliasRejectionDb >= STOPBAND_LIMIT_DB;
        out.printf("ours: passband ±%.1f dB %s; stopband ≥ %.0f dB %s; faster than sox -v per sample: 8k->24k %s "
                        + "(%.1fx), 24k->8k %s (%.1fx)%n",
                PASSBAND_LIMIT_DB, passband ? "PASS" : "FAIL", STOPBAND_LIMIT_DB, stopband ? "PASS" : "FAIL",
                oursUp > soxUp.rate() ? "yes" : "no", oursUp / soxUp.rate(),
                oursDown > soxDown.rate() ? "yes" : "no", oursDown / soxDown.rate());
        out.println();
        out.println("How it was measured:");
        out.println("- gain: least-squares fit of a sine at the tone frequency over the middle 0.6 s of the output.");
        out.println("- images: 8k->24k output, Blackman-Harris window, 16384-point FFT; power in bins ≥ 4600 Hz"
                + " relative to the tone's bins; worst tone reported.");
        out.println("- aliases: 24k->8k output of a 4.6-11.9 kHz tone (all of it is alias); input RMS / output RMS over"
                + " the middle 0.6 s; worst tone reported.");
        out.println("- SNR: 2 s 1 kHz tone, 8k->24k->8k; lag found by cross-correlation with the ideal (unrounded)"
                + " sine; SNR = ideal power / (output - ideal) power over the middle second. The delay is found"
                + " first by cross-correlating a white-noise round trip with its input (a pure tone's correlation"
                + " repeats every period). The reference row is the rounded input against the ideal sine.");
        out.println("- 16-bit output rounding puts a floor near 90 dB under the image measurement (noise above"
                + " 4.6 kHz); an alias row of 'inf' means every output sample rounded to 0.");
        out.printf("- ours speed: one thread, in process, the %d s signal fed in 20 ms frames (%d samples at 8 kHz,"
                + " %d at 24 kHz) to one stateful resampler; after 2 warm-up passes, %d passes timed with the"
                + " thread's CPU clock; best pass.%n", SPEED_SECONDS, FRAME_8K, 3 * FRAME_8K, SPEED_PASSES);
        out.printf("- sox speed: `sox -D -t raw -r <in> -e signed -b 16 -c 1 in.raw -t raw -r <out> out.raw rate -v` on"
                + " a %d s file on tmpfs; user+sys CPU seconds of the sox process (bash `times`, children line);"
                + " best of %d runs. The plain copy line subtracts the CPU of the same command without"
                + " `rate -v` (start-up, reading, writing).%n", SPEED_SECONDS, SOX_RUNS);
        out.printf("  sox CPU seconds: 8k->24k %.3f s (copy %.3f s); 24k->8k %.3f s (copy %.3f s)%n",
                soxUp.cpuSeconds, soxUp.copyCpuSeconds, soxDown.cpuSeconds, soxDown.copyCpuSeconds);
        out.printf("  speed signal: white noise at −20 dBFS band-limited by a 3-tap average (content does not change"
                + " either resampler's cost).%n");
    }

    // ---------------------------------------------------------------- quality

    private static final class Quality {
        double upMinDb = Double.MAX_VALUE;
        double upMaxDb = -Double.MAX_VALUE;
        double downMinDb = Double.MAX_VALUE;
        double downMaxDb = -Double.MAX_VALUE;
        double imageRejectionDb = Double.MAX_VALUE;
        double aliasRejectionDb = Double.POSITIVE_INFINITY;
        double roundTripSnrDb;
        int roundTripDelay;
    }

    private Quality measure(Resampler r) throws IOException, InterruptedException {
        Quality q = new Quality();
        for (int f = 100; f <= 3400; f += 100) {
            short[] up = r.up(tone(f, RATE_8K, TONE_SECONDS));
            double gainUp = gainDb(up, f, RATE_24K);
            q.upMinDb = Math.min(q.upMinDb, gainUp);
            q.upMaxDb = Math.max(q.upMaxDb, gainUp);
            q.imageRejectionDb = Math.min(q.imageRejectionDb, imageRejectionDb(up, f));
            short[] down = r.down(tone(f, RATE_24K, TONE_SECONDS));
            double gainDown = gainDb(down, f, RATE_8K);
            q.downMinDb = Math.min(q.downMinDb, gainDown);
            q.downMaxDb = Math.max(q.downMaxDb, gainDown);
        }
        for (int f = 4600; f <= 11_900; f += 100) {
            short[] down = r.down(tone(f, RATE_24K, TONE_SECONDS));
            int start = middleStart(down.length);
            double outRms = Signals.rms(down, start, start + middleLength(down.length));
            double rejection = outRms == 0 ? Double.POSITIVE_INFINITY
                    : Signals.db((AMPLITUDE / Math.sqrt(2)) / outRms);
            q.aliasRejectionDb = Math.min(q.aliasRejectionDb, rejection);
        }
        double[] noise = noise(RATE_8K);
        q.roundTripDelay = bestLag(r.down(r.up(round(noise))), noise, MAX_LAG);
        double[] ideal = idealTone(1000, RATE_8K, 2.0);
        short[] roundTrip = r.down(r.up(round(ideal)));
        q.roundTripSnrDb = snrDb(roundTrip, ideal, q.roundTripDelay, RATE_8K);
        return q;
    }

    /** One second of white noise at −20 dBFS: broadband, so its cross-correlation has a single clear peak. */
    private static double[] noise(int n) {
        Random random = new Random(7);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian() * 3277;
        }
        return x;
    }

    private static double[] idealTone(double f, int rate, double seconds) {
        int n = (int) Math.round(rate * seconds);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = AMPLITUDE * Math.sin(2 * Math.PI * f * i / rate);
        }
        return x;
    }

    private static short[] tone(double f, int rate, double seconds) {
        return round(idealTone(f, rate, seconds));
    }

    private static short[] round(double[] x) {
        short[] s = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = (short) Math.round(x[i]);
        }
        return s;
    }

    private static int middleStart(int n) {
        return n / 5;
    }

    private static int middleLength(int n) {
        return n * 3 / 5;
    }

    /** Gain at {@code f} in dB: least-squares fit of a·sin + b·cos over the middle 60 % of the output. */
    private static double gainDb(short[] y, double f, int rate) {
        int start = middleStart(y.length);
        return Signals.db(Signals.fit(y, start, start + middleLength(y.length), f, rate)[0] / AMPLITUDE);
    }

    /** Tone power over the power of everything at or above {@link #STOPBAND_EDGE}, in dB. */
    private static double imageRejectionDb(short[] y24k, double f) {
        double[] re = new double[FFT_SIZE];
        double[] im = new double[FFT_SIZE];
        int start = (y24k.length - FFT_SIZE) / 2;
        for (int i = 0; i < FFT_SIZE; i++) {
            re[i] = y24k[start + i] * blackmanHarris(i, FFT_SIZE);
        }
        fft(re, im);
        double binHz = (double) RATE_24K / FFT_SIZE;
        int toneBin = (int) Math.round(f / binHz);
        int edgeBin = (int) Math.ceil(STOPBAND_EDGE / binHz);
        double tone = 0;
        double images = 0;
        for (int k = 0; k <= FFT_SIZE / 2; k++) {
            double p = re[k] * re[k] + im[k] * im[k];
            if (Math.abs(k - toneBin) <= TONE_BINS) {
                tone += p;
            } else if (k >= edgeBin) {
                images += p;
            }
        }
        return 10 * Math.log10(tone / Math.max(images, 1e-30));
    }

    private static double blackmanHarris(int i, int n) {
        double x = 2 * Math.PI * i / (n - 1);
        return 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
    }

    /** In-place iterative radix-2 FFT. */
    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(ang * k);
                    double wi = Math.sin(ang * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /** The lag d in [−maxLag, maxLag] maximising Σ y[i + d]·x[i]: how many samples the output trails the input. */
    private static int bestLag(short[] y, double[] x, int maxLag) {
        int best = 0;
        double bestCorrelation = -Double.MAX_VALUE;
        for (int d = -maxLag; d <= maxLag; d++) {
            double c = 0;
            for (int i = maxLag; i < x.length - maxLag; i++) {
                int j = i + d;
                if (j >= 0 && j < y.length) {
                    c += y[j] * x[i];
                }
            }
            if (c > bestCorrelation) {
                bestCorrelation = c;
                best = d;
            }
        }
        return best;
    }

    /** SNR of the rounded 1 kHz test tone against the ideal one: what rounding the input alone allows. */
    private static double inputSnrDb() {
        double[] ideal = idealTone(1000, RATE_8K, 2.0);
        return snrDb(round(ideal), ideal, 0, RATE_8K);
    }

    /** Ideal power over error power, comparing y[i + lag] with x[i] over {@code n} samples in the middle. */
    private static double snrDb(short[] y, double[] x, int lag, int n) {
        int start = (x.length - n) / 2;
        double signal = 0;
        double error = 0;
        for (int i = start; i < start + n; i++) {
            double e = y[i + lag] - x[i];
            signal += x[i] * x[i];
            error += e * e;
        }
        return 10 * Math.log10(signal / error);
    }

    // ---------------------------------------------------------------- speed

    /** Band-limited noise at −20 dBFS, the same for every run (fixed seed). */
    private static short[] speedSignal(int rate) {
        Random random = new Random(42);
        short[] s = new short[SPEED_SECONDS * rate];
        double a = 0;
        double b = 0;
        for (int i = 0; i < s.length; i++) {
            double c = random.nextGaussian() * 3277;
            s[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round((a + b + c) / 3)));
            a = b;
            b = c;
        }
        return s;
    }

    /** Input samples per CPU-second of ours, feeding 20 ms frames to one stateful resampler. */
    private static double oursSpeed(short[] in, boolean up) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Upsampler8kTo24k upsampler = new Upsampler8kTo24k();
        Downsampler24kTo8k downsampler = new Downsampler24kTo8k();
        int frame = up ? FRAME_8K : 3 * FRAME_8K;
        short[] out = new short[3 * FRAME_8K];
        long best = Long.MAX_VALUE;
        long checksum = 0;
        for (int pass = 0; pass < 2 + SPEED_PASSES; pass++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int off = 0; off + frame <= in.length; off += frame) {
                if (up) {
                    upsampler.process(in, off, frame, out, 0);
                } else {
                    downsampler.process(in, off, frame, out, 0);
                }
                checksum += out[0];
            }
            long cpu = threads.getCurrentThreadCpuTime() - t0;
            if (pass >= 2) {
                best = Math.min(best, cpu);
            }
        }
        sink = checksum;
        return in.length / (best / 1e9);
    }

    private record SoxSpeed(long samples, double cpuSeconds, double copyCpuSeconds) {
        double rate() {
            return samples / cpuSeconds;
        }

        double rateMillions() {
            return rate() / 1e6;
        }

        double netRateMillions() {
            return samples / (cpuSeconds - copyCpuSeconds) / 1e6;
        }
    }

    private SoxSpeed soxSpeed(short[] in, int from, int to) throws IOException, InterruptedException {
        Path src = work.resolve("speed-in.raw");
        Path dst = work.resolve("speed-out.raw");
        writeRaw(src, in);
        double best = Double.MAX_VALUE;
        double bestCopy = Double.MAX_VALUE;
        for (int i = 0; i < SOX_RUNS; i++) {
            best = Math.min(best, runSox(src, from, dst, to, true));
            bestCopy = Math.min(bestCopy, runSox(src, from, dst, from, false));
        }
        if (readRaw(dst).length != in.length) {
            throw new IllegalStateException("sox copy changed the length");
        }
        Files.delete(src);
        Files.delete(dst);
        return new SoxSpeed(in.length, best, bestCopy);
    }

    /** Runs sox (resampling with rate -v when {@code resample}) and returns its user+sys CPU seconds. */
    private double runSox(Path src, int from, Path dst, int to, boolean resample)
            throws IOException, InterruptedException {
        String command = "\"$0\" -D -t raw -r " + from + " -e signed -b 16 -c 1 \"$1\" -t raw -r " + to
                + " -e signed -b 16 -c 1 \"$2\"" + (resample ? " rate -v" : "") + " && times";
        Process p = new ProcessBuilder("bash", "-c", command, sox, src.toString(), dst.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("sox failed: " + output);
        }
        String[] lines = output.strip().split("\n");
        String children = lines[lines.length - 1].trim();
        String[] parts = children.split("\\s+");
        return bashTime(parts[0]) + bashTime(parts[1]);
    }

    /** Parses bash's {@code times} format, e.g. {@code 0m1.234s}. */
    private static double bashTime(String t) {
        int m = t.indexOf('m');
        return Integer.parseInt(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }

    private String soxVersion() {
        try {
            Process p = new ProcessBuilder(sox, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return v.replaceFirst("^sox: *", "");
        } catch (IOException | InterruptedException e) {
            return "sox (version unknown)";
        }
    }

    // ---------------------------------------------------------------- files and formatting

    private static void writeRaw(Path path, short[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        Files.write(path, b.array());
    }

    private static short[] readRaw(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }

    private static String[] row(String name, double ours, double sox) {
        return new String[] {name, format(ours), format(sox)};
    }

    private static String[] row(String name, double oursMin, double oursMax, double soxMin, double soxMax) {
        return new String[] {name, format(oursMin) + " / " + format(oursMax), format(soxMin) + " / " + format(soxMax)};
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Double.POSITIVE_INFINITY) {
            return "inf (output all 0)";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.format("%d", (long) v);
        }
        return Math.abs(v) < 1 ? String.format("%.4f", v) : String.format("%.2f", v);
    }
}
