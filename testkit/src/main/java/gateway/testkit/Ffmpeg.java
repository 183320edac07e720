package gateway.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg as the independent G.722 implementation the gateway's codec is checked against: raw 16 kHz
 * 16-bit PCM to raw G.722 octets (RFC 3551 §4.5.2 packing) and back. Installed by {@code scripts/install-test-deps.sh}.
 */
public final class Ffmpeg {

    private static final int SAMPLE_RATE = 16_000;
    private static final long TIMEOUT_SECONDS = 60;

    private Ffmpeg() {
    }

    /** Encodes 16 kHz PCM with ffmpeg's G.722 encoder. */
    public static byte[] encodeG722(short[] pcm16k) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ffmpeg-g722");
        Path in = dir.resolve("in.raw");
        Path out = dir.resolve("out.g722");
        Files.write(in, littleEndian(pcm16k));
        run(List.of("-f", "s16le", "-ar", String.valueOf(SAMPLE_RATE), "-ac", "1", "-i", in.toString(),
                "-acodec", "g722", "-f", "g722", out.toString()));
        byte[] encoded = Files.readAllBytes(out);
        deleteAll(dir, in, out);
        return encoded;
    }

    /** Decodes raw G.722 octets with ffmpeg's G.722 decoder into 16 kHz PCM. */
    public static short[] decodeG722(byte[] g722) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ffmpeg-g722");
        Path in = dir.resolve("in.g722");
        Path out = dir.resolve("out.raw");
        Files.write(in, g722);
        decodeG722(in, out);
        short[] pcm = readPcm(out);
        deleteAll(dir, in, out);
        return pcm;
    }

    /** Decodes the raw G.722 file {@code in} into the raw 16 kHz PCM file {@code out}. */
    public static void decodeG722(Path in, Path out) throws IOException, InterruptedException {
        run(List.of("-f", "g722", "-i", in.toString(), "-f", "s16le", "-acodec", "pcm_s16le", out.toString()));
    }

    /** Reads raw little-endian 16-bit PCM. */
    public static short[] readPcm(Path raw) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] pcm = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(pcm);
        return pcm;
    }

    private static byte[] littleEndian(short[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(pcm);
        return bytes.array();
    }

    private static void run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                "-y"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("ffmpeg did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (" + process.exitValue() + "): " + new String(output));
        }
    }

    private static void deleteAll(Path dir, Path... files) throws IOException {
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        Files.delete(dir);
    }
}
