package gateway.demoagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Reply synthesis: an assistant audio message (docs/realtime-protocol.md §4), the caller's last utterance played
 * back ({@link DemoScript.ReplyMode#ECHO}) or a test tone ({@link DemoScript.ReplyMode#TONE}), sent as audio deltas
 * in the session's output format faster than real time with the transcript a word per delta.
 *
 * <p>Threading: used only on the session's event loop.
 */
final class SpokenReply extends Reply {

    private static final int SAMPLES_PER_MS = EnergyVad.SAMPLES_PER_MS;
    private static final int SAMPLE_RATE = 24_000;
    private static final double TONE_HZ = 440;
    private static final double TONE_DBFS = -10;

    private final short[] audio;
    private final String transcript;
    private final String[] words;
    private final AudioCoding coding;
    private int sent;
    private int wordsSent;

    /** The reply the script gives to {@code utterance}, the caller's last committed turn. */
    SpokenReply(Context ctx, short[] utterance) {
        super(ctx);
        DemoScript script = ctx.script();
        if (script.replyMode() == DemoScript.ReplyMode.ECHO) {
            this.audio = utterance;
            this.transcript = String.format(Locale.ROOT, "You said something for %.2f seconds.",
                    utterance.length / (double) SAMPLE_RATE);
        } else {
            this.audio = tone(script.toneMs());
            this.transcript = String.format(Locale.ROOT, "This is a %.2f second test tone.", script.toneMs() / 1000.0);
        }
        this.words = transcript.split(" ");
        this.coding = new AudioCoding(ctx.config().outputFormat());
    }

    private SpokenReply(Context ctx, short[] audio, String transcript) {
        super(ctx);
        this.audio = audio;
        this.transcript = transcript;
        this.words = transcript.split(" ");
        this.coding = new AudioCoding(ctx.config().outputFormat());
    }

    /**
     * The reply to a response.create with {@code instructions}: the test tone, whatever the mode, and the
     * instructions' last paragraph (what the client asked for this once) as its transcript.
     */
    static SpokenReply instructed(Context ctx, String instructions) {
        String trimmed = instructions.strip();
        String said = trimmed.substring(trimmed.lastIndexOf("\n\n") + 1).strip();
        return new SpokenReply(ctx, tone(ctx.script().toneMs()), said.isEmpty() ? "(silence)" : said);
    }

    /** A 440 Hz sine at -10 dBFS, the TONE reply. */
    static short[] tone(long ms) {
        short[] pcm = new short[(int) (ms * SAMPLES_PER_MS)];
        double amplitude = 32767 * Math.pow(10, TONE_DBFS / 20);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * TONE_HZ * i / SAMPLE_RATE));
        }
        return pcm;
    }

    /** Samples in the whole reply: what a truncate may cut it to while it is still being sent. */
    int audioLength() {
        return audio.length;
    }

    @Override
    ObjectNode item(String status) {
        return DemoEvents.assistantItem(itemId, status, switch (status) {
            case "in_progress" -> null;
            case "completed" -> transcript;
            default -> String.join(" ", Arrays.copyOf(words, wordsSent));
        });
    }

    @Override
    void opened() {
        ObjectNode part = outputEvent("response.content_part.added");
        ObjectNode p = part.putObject("part");
        p.put("type", "audio");
        p.put("transcript", "");
        ctx.out().send(part);
    }

    @Override
    void step() {
        int n = (int) Math.min(ctx.script().deltaMs() * SAMPLES_PER_MS, audio.length - sent);
        n -= n % AudioCoding.SAMPLES_PER_OCTET;
        if (n > 0) {
            if (wordsSent < words.length) {
                transcriptDelta((wordsSent == 0 ? "" : " ") + words[wordsSent]);
                wordsSent++;
            }
            ObjectNode delta = outputEvent("response.output_audio.delta");
            delta.put("delta", Base64.getEncoder().encodeToString(coding.encode(audio, sent, n)));
            ctx.out().send(delta);
            sent += n;
            ctx.responses().spoke(itemId, sent);
        }
        if (n > 0 && sent < audio.length) {
            later(ctx.script().deltaIntervalMs());
        } else {
            finish();
        }
    }

    private void transcriptDelta(String text) {
        ObjectNode delta = outputEvent("response.output_audio_transcript.delta");
        delta.put("delta", text);
        ctx.out().send(delta);
    }

    /** §4: the rest of the transcript, audio done, transcript done, content part done, then the item. */
    private void finish() {
        if (wordsSent < words.length) {
            StringBuilder rest = new StringBuilder();
            for (int i = wordsSent; i < words.length; i++) {
                rest.append(i == 0 ? "" : " ").append(words[i]);
            }
            transcriptDelta(rest.toString());
            wordsSent = words.length;
        }
        ctx.responses().spoke(itemId, audio.length);
        countOutput(audio.length, words.length);
        ctx.out().send(outputEvent("response.output_audio.done"));
        ObjectNode transcriptDone = outputEvent("response.output_audio_transcript.done");
        transcriptDone.put("transcript", transcript);
        ctx.out().send(transcriptDone);
        ObjectNode partDone = outputEvent("response.content_part.done");
        ObjectNode part = partDone.putObject("part");
        part.put("type", "audio");
        part.put("transcript", transcript);
        ctx.out().send(partDone);
        complete();
    }

    @Override
    void cancelled() {
        ctx.responses().spoke(itemId, sent);
        countOutput(sent, wordsSent);
    }

    /** The tokens of what was said: {@code samples} of audio and {@code spokenWords} of transcript. */
    private void countOutput(long samples, long spokenWords) {
        usage().outputAudio += samples / (SAMPLES_PER_MS * Usage.MS_PER_OUTPUT_AUDIO_TOKEN);
        usage().outputText += spokenWords;
    }
}
