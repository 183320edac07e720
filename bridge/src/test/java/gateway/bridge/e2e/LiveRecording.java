package gateway.bridge.e2e;

import gateway.testkit.Await;
import gateway.testkit.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The recording of the one call in progress, read as the gateway writes it, so a test can act on what the call did.
 * The recorder commits audio.wav's frames about half a second behind the call (its window for late packets) and
 * writes them four times a second: a frame on disk was heard from the caller, or played to it, that long ago. So a
 * test that waits here for something to be in the recording acts after it happened, however slow the machine.
 *
 * <p>Threading: used by the test thread; each read takes what is on disk at that moment.
 */
final class LiveRecording {

    /** The recorder's canonical header: RIFF, fmt and the data chunk's header, then interleaved frames. */
    private static final int HEADER_BYTES = 44;
    private static final int DATA_ID_AT = 36;
    private static final int DATA = 0x61746164;
    private static final int BYTES_PER_FRAME = 4;
    private static final int SAMPLES_PER_MS = RecordedCall.SAMPLE_RATE / 1000;
    /** Probes of the end of an utterance looked for in a reply: the last of them may straddle a skipped tick. */
    private static final int TAIL_PROBES = 8;
    /** 10 ms: unmistakable as an exact copy of speech, short enough to fit between skipped ticks. */
    private static final int TAIL_PROBE = 10 * SAMPLES_PER_MS;
    /**
     * Recording beyond the reply's last checked sample before it counts as played to its end: the echo's edge
     * (up to {@link Echoes#EDGE_MS} past the checked interior) in whole frames, and margin.
     */
    private static final long PLAYED_MARGIN_MS = Echoes.EDGE_MS + 200;

    private final Path wav;
    private long readSize = -1;
    private Frames frames = new Frames(new short[0], new short[0]);

    private LiveRecording(Path wav) {
        this.wav = wav;
    }

    /** Waits for the one call's directory under {@code recordingsDir} and its audio.wav (the call was answered). */
    static LiveRecording of(Path recordingsDir, Duration timeout) throws InterruptedException {
        Path dir = Await.until(() -> Recordings.callDirsNow(recordingsDir), dirs -> dirs.size() == 1
                        && Files.exists(dirs.get(0).resolve("audio.wav")), timeout,
                dirs -> "one call directory with audio.wav in " + recordingsDir + ": " + dirs).get(0);
        return in(dir);
    }

    /** The recording in call directory {@code dir}, whether or not its audio.wav is there yet. */
    static LiveRecording in(Path dir) {
        return new LiveRecording(dir.resolve("audio.wav"));
    }

    /** The call's directory. */
    Path dir() {
        return wav.getParent();
    }

    /** Whole frames on disk now (a crash keeps them). */
    long framesOnDisk() {
        try {
            return Math.max(0, (Files.size(wav) - HEADER_BYTES) / BYTES_PER_FRAME);
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the demo agent's echo of the caller's utterance {@code n} (0 = the first recorded) has been
     * played to its end: the right channel holds, after the utterance, the very samples that end it (see
     * {@link Echoes}), and the recording goes on past the echo's last sample.
     */
    void awaitEchoPlayed(int n, Duration timeout) throws InterruptedException {
        Await.until(() -> echoPlayed(read(), n), timeout,
                () -> "the echo of caller utterance " + n + " played to its end in " + wav + "; utterances "
                        + endedUtterances(frames) + ", " + frames.describe());
    }

    /**
     * Waits until the assistant channel holds a reply that ended (speech, then a pause longer than any inside one):
     * for replies that are not a sample-for-sample copy of the caller (the model's G.711, resampled both ways).
     */
    void awaitReplyEnded(Duration timeout) throws InterruptedException {
        Await.until(() -> {
            Frames f = read();
            long recordedMs = f.assistant.length / SAMPLES_PER_MS;
            return Signals.activity(f.assistant, RecordedCall.SAMPLE_RATE, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                    CallIsAnsweredAndRecordedIT.WORD_GAP_MS).stream()
                    .anyMatch(s -> s.endMs() + CallIsAnsweredAndRecordedIT.WORD_GAP_MS < recordedMs);
        }, timeout, () -> "a reply played to its end in " + wav + ", " + frames.describe());
    }

    private boolean echoPlayed(Frames f, int n) {
        List<Signals.Segment> ended = endedUtterances(f);
        if (ended.size() <= n) {
            return false;
        }
        Signals.Segment utterance = ended.get(n);
        int interiorEnd = (int) ((utterance.endMs() - Echoes.EDGE_MS) * SAMPLES_PER_MS);
        int searchFrom = (int) (utterance.endMs() * SAMPLES_PER_MS);
        for (int p = 0; p < TAIL_PROBES; p++) {
            int probeEnd = interiorEnd - p * TAIL_PROBE;
            if (probeEnd - TAIL_PROBE < utterance.startMs() * SAMPLES_PER_MS) {
                break;
            }
            short[] probe = Arrays.copyOfRange(f.caller, probeEnd - TAIL_PROBE, probeEnd);
            int at = indexOf(f.assistant, probe, searchFrom);
            if (at >= 0) {
                long playedTo = at + TAIL_PROBE + (interiorEnd - probeEnd) + PLAYED_MARGIN_MS * SAMPLES_PER_MS;
                return f.caller.length >= playedTo;
            }
        }
        return false;
    }

    /** The utterances followed by a pause longer than any inside one: ended, whatever comes next. */
    private static List<Signals.Segment> endedUtterances(Frames f) {
        long recordedMs = f.caller.length / SAMPLES_PER_MS;
        return Signals.activity(f.caller, RecordedCall.SAMPLE_RATE, 20, CallIsAnsweredAndRecordedIT.SPEECH_RMS,
                        CallIsAnsweredAndRecordedIT.WORD_GAP_MS).stream()
                .filter(s -> s.endMs() + CallIsAnsweredAndRecordedIT.WORD_GAP_MS < recordedMs)
                .toList();
    }

    /** The first index at or after {@code from} where {@code signal} holds {@code probe} exactly; -1 if none. */
    private static int indexOf(short[] signal, short[] probe, int from) {
        int anchor = 0;
        while (anchor < probe.length && probe[anchor] == 0) {
            anchor++;
        }
        if (anchor == probe.length) {
            return -1;                                  // silence is no evidence of anything
        }
        for (int i = from + anchor; i + probe.length - anchor <= signal.length; i++) {
            if (signal[i] == probe[anchor]
                    && Arrays.equals(signal, i - anchor, i - anchor + probe.length, probe, 0, probe.length)) {
                return i - anchor;
            }
        }
        return -1;
    }

    /** The frames on disk, read again only when the file has grown. */
    private Frames read() {
        try {
            long size = Files.size(wav);
            if (size == readSize) {
                return frames;
            }
            try (FileChannel channel = FileChannel.open(wav, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                if (readFully(channel, header, 0) < HEADER_BYTES || header.getInt(DATA_ID_AT) != DATA) {
                    return frames;                      // the header is not written yet
                }
                long available = channel.size();        // the header may have come after size was read
                ByteBuffer data = ByteBuffer.allocate((int) ((available - HEADER_BYTES) / BYTES_PER_FRAME)
                        * BYTES_PER_FRAME).order(ByteOrder.LITTLE_ENDIAN);
                int count = readFully(channel, data, HEADER_BYTES) / BYTES_PER_FRAME;
                data.flip();
                short[] caller = new short[count];
                short[] assistant = new short[count];
                for (int i = 0; i < count; i++) {
                    caller[i] = data.getShort();
                    assistant[i] = data.getShort();
                }
                frames = new Frames(caller, assistant);
                readSize = available;
                return frames;
            }
        } catch (NoSuchFileException gone) {
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads from {@code position} until {@code buffer} is full or the file ends; returns the bytes read. */
    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    /** The two channels as far as they are on disk. */
    private record Frames(short[] caller, short[] assistant) {

        String describe() {
            return caller.length / SAMPLES_PER_MS + " ms on disk";
        }
    }
}
