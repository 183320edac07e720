package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real softphone: linphone's console client ({@code linphonec}, Debian {@code linphone-cli}) calls the
 * gateway over UDP with its sound card replaced by files, says a 440 Hz tone, hears the demo agent echo it back,
 * and hangs up once the gateway has played the echo. What linphone heard (its recording of the far end) and the
 * recording's caller channel both carry the tone; call.json says the caller hung up.
 */
@Tag("e2e")
class LinphoneCallIT {

    private static final int RTP_MIN = 36_700;
    private static final int SIP_PORT = RTP_MIN + 97;
    private static final double TONE_HZ = 440;
    private static final int TONE_MS = 2_000;
    /** Silence after the tone, longer than the wait for the echo: the file must not end before the hang-up. */
    private static final int SILENCE_MS = 30_000;
    private static final int RATE = 8000;
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Process linphone() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".local/share/linphone"));
        Path rc = dir.resolve("linphonerc");
        Files.writeString(rc, String.join("\n",
                "[sip]", "sip_port=" + SIP_PORT, "bind_address=127.0.0.1",
                "[rtp]", "audio_rtp_port=" + (RTP_MIN + 60) + "-" + (RTP_MIN + 70),
                "[sound]", "echocancellation=0",
                "[video]", "enabled=0", ""));
        ProcessBuilder builder = new ProcessBuilder("linphonec", "-c", rc.toString(), "-d", "0");
        builder.environment().put("HOME", home.toString());          // its database and state stay in the test
        return builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("linphone.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    private static void say(OutputStream stdin, String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    @Test
    void linphoneHearsTheAgentAndItsCallIsRecorded() throws Exception {
        Path tone = dir.resolve("tone.wav");
        WavWriter.write(tone, RATE, Signals.concat(Signals.sine(TONE_HZ, RATE, 8000, RATE * TONE_MS / 1000),
                new short[RATE * SILENCE_MS / 1000]));
        Path heard = dir.resolve("heard.wav");
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings)) {
            Process phone = linphone();
            try (OutputStream stdin = phone.getOutputStream()) {
                say(stdin, "soundcard use files");
                say(stdin, "play " + tone);
                say(stdin, "record " + heard);
                say(stdin, "call sip:agent@127.0.0.1:" + gw.sipPort());
                try {
                    gw.awaitReplyPlaying(1, TONE_MS, EVENT_TIMEOUT);  // the echo of the whole tone went out
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; linphonec said: "
                            + Files.readString(dir.resolve("linphone.log"), StandardCharsets.UTF_8), e);
                }
                say(stdin, "terminate");
                Path finished = Recordings.awaitFinished(recordings, 1, EVENT_TIMEOUT).get(0);
                say(stdin, "quit");
                boolean exited = phone.waitFor(EVENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                String log = Files.readString(dir.resolve("linphone.log"), StandardCharsets.UTF_8);
                if (!exited) {
                    phone.destroyForcibly();
                }
                assertTrue(exited, "linphonec did not quit: " + log);

                JsonNode json = new ObjectMapper().readTree(finished.resolve("call.json").toFile());
                assertEquals("caller_bye", json.path("end_reason").asText(), log);
                assertTrue(json.path("from").asText().startsWith("sip:linphone@"), json.toString());
                WavReader.Wav recorded = WavReader.read(finished.resolve("audio.wav"));
                short[] caller = recorded.channel(0);
                assertTrue(Signals.goertzel(caller, 0, caller.length, TONE_HZ, recorded.sampleRate())
                        > 10 * Signals.goertzel(caller, 0, caller.length, 1000, recorded.sampleRate()),
                        "the recording's caller channel carries linphone's 440 Hz tone: " + json);

                WavReader.Wav echo = WavReader.readForeign(heard);
                short[] samples = echo.channel(0);
                assertTrue(Signals.rms(samples, 0, samples.length) > 100, "linphone heard audio: " + log);
                assertTrue(Signals.goertzel(samples, 0, samples.length, TONE_HZ, echo.sampleRate())
                        > 10 * Signals.goertzel(samples, 0, samples.length, 1000, echo.sampleRate()),
                        "what linphone heard is the agent's echo of its tone");
                assertEquals(1, gw.agent().connections(), "one Realtime session");
            } finally {
                phone.destroyForcibly();
            }
        }
    }
}
