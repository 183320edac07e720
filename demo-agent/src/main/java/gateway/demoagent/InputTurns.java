package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of a session: input audio appended on the session's input-audio clock
 * (docs/realtime-protocol.md §5.1), turns found by the energy VAD or committed by the client (§3, §4), the user
 * items they become, and their transcripts, which come late (§5.3). A detected turn interrupts the response in
 * progress and, when it ends, asks for the next one, as the session's turn detection says (§2, §5.2).
 *
 * <p>Threading: used only on the session's event loop.
 */
final class InputTurns implements EnergyVad.Events {

    private static final int SAMPLES_PER_MS = EnergyVad.SAMPLES_PER_MS;
    private static final int SAMPLE_RATE = 24_000;
    /** input_audio_buffer.commit needs at least 100 ms (§3). */
    private static final long MIN_COMMIT_SAMPLES = 100 * SAMPLES_PER_MS;

    private final DemoScript script;
    private final SessionConfig config;
    private final Conversation conversation;
    private final DemoConnection view;
    private final EventSink out;
    private final ScheduledExecutorService loop;
    private final Responses responses;
    private final InputAudio input = new InputAudio();
    private final EnergyVad vad = new EnergyVad();
    /** How appended audio is read: the session's input format, made anew when an update changes it. */
    private AudioCoding coding = new AudioCoding(AudioCoding.PCM);
    private String codingType = AudioCoding.PCM;
    private String speechItemId;
    private long speechOnset;
    private long uncommittedFrom;

    InputTurns(DemoScript script, SessionConfig config, Conversation conversation, DemoConnection view,
               EventSink out, ScheduledExecutorService loop, Responses responses) {
        this.script = script;
        this.config = config;
        this.conversation = conversation;
        this.view = view;
        this.out = out;
        this.loop = loop;
        this.responses = responses;
    }

    /** {@code input_audio_buffer.append}: Base64 audio in the session's input format (§2, §3), kept at 24 kHz. */
    void append(String base64) throws InvalidEvent {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidEvent("invalid_value", "audio", "Invalid 'audio'. Expected base64-encoded audio.");
        }
        String type = config.inputFormat();
        if (!type.equals(codingType)) {
            coding = new AudioCoding(type);
            codingType = type;
        }
        short[] pcm = coding.decode(bytes);
        input.append(pcm, 0, pcm.length);
        view.appended(pcm.length);
        vad.feed(pcm, 0, pcm.length, config.silenceMs() * SAMPLES_PER_MS, this);
    }

    /** {@code input_audio_buffer.clear}: what was not committed is forgotten. */
    void clear() {
        uncommittedFrom = input.totalSamples();
        out.send(DemoEvents.event("input_audio_buffer.cleared"));
    }

    /** {@code input_audio_buffer.commit} from the client: at least 100 ms since the last commit (§3). */
    void commit() throws InvalidEvent {
        long pending = input.totalSamples() - uncommittedFrom;
        if (pending < MIN_COMMIT_SAMPLES) {
            throw new InvalidEvent("input_audio_buffer_commit_empty", null, String.format(Locale.ROOT,
                    "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but"
                            + " buffer only has %.2fms of audio.", pending / (double) SAMPLES_PER_MS));
        }
        short[] utterance = input.copy(uncommittedFrom, input.totalSamples());
        committed(DemoEvents.id("item"), input.totalSamples(), utterance);
    }

    @Override
    public void speechStarted(long onsetSample) {
        if (!config.detectsTurns()) {
            return;
        }
        speechItemId = DemoEvents.id("item");
        speechOnset = onsetSample;
        ObjectNode started = DemoEvents.event("input_audio_buffer.speech_started");
        started.put("audio_start_ms", Math.max(0, onsetSample / SAMPLES_PER_MS - config.prefixPaddingMs()));
        started.put("item_id", speechItemId);
        out.send(started);
        if (config.interruptsResponses()) {
            responses.bargeIn();
        }
    }

    @Override
    public void speechStopped(long lastLoudEndSample, long stopSample) {
        if (!config.detectsTurns() || speechItemId == null) {
            return;
        }
        ObjectNode stopped = DemoEvents.event("input_audio_buffer.speech_stopped");
        stopped.put("audio_end_ms", stopSample / SAMPLES_PER_MS);
        stopped.put("item_id", speechItemId);
        out.send(stopped);
        committed(speechItemId, stopSample, input.copy(speechOnset, lastLoudEndSample));
        speechItemId = null;
        if (config.createsResponses()) {
            responses.afterTurn();
        }
    }

    /** §4: committed, then the user item added and done; the transcript follows later if transcription is on. */
    private void committed(String itemId, long uptoSample, short[] utterance) {
        String previous = conversation.lastId();
        ObjectNode committed = DemoEvents.event("input_audio_buffer.committed");
        committed.put("previous_item_id", previous);
        committed.put("item_id", itemId);
        out.send(committed);
        conversation.append(DemoEvents.userItem(itemId));
        DemoEvents.announceItem(out, previous, DemoEvents.userItem(itemId));
        uncommittedFrom = uptoSample;
        responses.turnCommitted(utterance);
        if (config.transcribes()) {
            double seconds = utterance.length / (double) SAMPLE_RATE;
            loop.schedule(() -> transcribed(itemId, seconds), script.transcriptDelayMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** §5.3: the caller's words arrive after the commit, keyed by the item. */
    private void transcribed(String itemId, double seconds) {
        ObjectNode done = DemoEvents.event("conversation.item.input_audio_transcription.completed");
        done.put("item_id", itemId);
        done.put("content_index", 0);
        String transcript = String.format(Locale.ROOT, "caller speech %.2f s", seconds);
        done.put("transcript", transcript);
        ObjectNode usage = done.putObject("usage");
        usage.put("type", "duration");
        usage.put("seconds", seconds);
        out.send(done);
        conversation.transcribed(itemId, transcript);
    }
}
