package gateway.bridge.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.Signals;
import gateway.testkit.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The announcement is read with the recording format's WAV codec and refused, with the reason, when unusable. */
class ConsentPromptTest {

    @TempDir
    Path dir;

    @Test
    void aMonoFileAt24kHzIsPlayedSampleForSample() throws Exception {
        short[] tone = Signals.sine(600, 24_000, 9000, 24_000 * 3 / 2);
        ConsentPrompt prompt = ConsentPrompt.load(WavWriter.write(dir.resolve("24k.wav"), 24_000, tone));
        assertArrayEquals(tone, prompt.samples());
        assertEquals(1500, prompt.durationMs());
    }

    @Test
    void aTelephoneQualityFileIsUpSampledToTheCallRate() throws Exception {
        short[] tone = Signals.sine(600, 8000, 9000, 8000);
        ConsentPrompt prompt = ConsentPrompt.load(WavWriter.write(dir.resolve("8k.wav"), 8000, tone));
        assertEquals(24_000, prompt.samples().length);
        assertEquals(1000, prompt.durationMs());
        assertEquals(600, Signals.dominantFrequency(prompt.samples(), 2400, 21_600, 24_000, 50, 4000));
        assertEquals(9000, Signals.fit(prompt.samples(), 2400, 21_600, 600, 24_000)[0], 90);
    }

    @Test
    void whatCannotBePlayedIsRefusedWithTheFileAndTheReason() throws Exception {
        short[] second = new short[24_000];
        assertRefused(WavWriter.write(dir.resolve("stereo.wav"), 24_000, second, second), "must be 16-bit PCM mono");
        assertRefused(WavWriter.write(dir.resolve("16k.wav"), 16_000, second),
                "must be at 8000 or 24000 Hz, not 16000");
        assertRefused(WavWriter.write(dir.resolve("empty.wav"), 24_000, new short[0]), "has no audio");
        assertRefused(WavWriter.write(dir.resolve("long.wav"), 8000, new short[8000 * 61]), "is longer than 60 s");
        assertRefused(Files.writeString(dir.resolve("notes.wav"), "not audio at all"), "not a RIFF/WAVE file");
    }

    private static void assertRefused(Path file, String reason) {
        String message = assertThrows(IOException.class, () -> ConsentPrompt.load(file)).getMessage();
        assertTrue(message.startsWith(file.toString()) && message.contains(reason), message);
    }
}
