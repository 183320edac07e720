package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.testkit.Signals;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real softphone: linphone's console client ({@code linphonec}, Debian linphone-cli) calls the gateway,
 * says a 440 Hz tone from a file and records what it hears. The test waits until the recording shows the demo
 * agent's echo of the tone played to the caller, then tells linphonec to hang up. What linphone heard carries the
 * agent's tone (energy at 440 Hz, not elsewhere), and call.json says the caller hung up.
 */
@Tag("e2e")
class LinphoneIT {

    private static final int RTP_MIN = 39_600;
    private static final int LINPHONE_SIP_PORT = RTP_MIN + 95;
    private static final double TONE_HZ = 440;
    private static final int TONE_MS = 2_000;
    /** Silence after the tone in linphone's file, long enough for the echo to come back while it plays. */
    private static final int QUIET_MS = 8_000;
    private static final int RATE = 8000;
    private static final Duration STEP_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Process linphonec() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".local/share/linphone"));
        Path rc = dir.resolve("linphonerc");
        Files.writeString(rc, String.join("\n",
                "[sip]", "sip_port=" + LINPHONE_SIP_PORT, "bind_address=127.0.0.1",
                "contact=sip:linphone@127.0.0.1", "",
                "[rtp]", "audio_rtp_port=" + (RTP_MIN + 80) + "-" + (RTP_MIN + 90), "",
                "[video]", "enabled=0", "capture=0", "display=0", ""));
        ProcessBuilder builder = new ProcessBuilder("linphonec", "-c", rc.toString(), "-d", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("linphonec.log").toFile());
        builder.environment().put("HOME", home.toString());
        return builder.start();
    }

    private static void say(Process linphone, String command) throws IOException {
        Writer in = new OutputStreamWriter(linphone.getOutputStream(), StandardCharsets.UTF_8);
        in.write(command + "\n");
        in.flush();
    }

    @Test
    void linphoneCallsHearsTheAgentAndHangsUp() throws Exception {
        Path tone = dir.resolve("tone.wav");
        Path heard = dir.resolve("heard.wav");
        WavWriter.write(tone, RATE, Signals.concat(Signals.sine(TONE_HZ, RATE, 8000, RATE * TONE_MS / 1000),
                new short[RATE * QUIET_MS / 1000]));
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayUnderIT gw = GatewayUnderIT.start(GatewayUnderIT.wholeReplies(), RTP_MIN, recordings)) {
            Process phone = linphonec();
            try {
                say(phone, "soundcard use files");
                say(phone, "play " + tone);
                say(phone, "record " + heard);
                say(phone, "call sip:agent@127.0.0.1:" + gw.sipPort());
                LiveRecording live = LiveRecording.of(recordings, STEP_WITHIN);
                live.awaitEchoPlayed(0, STEP_WITHIN);
                say(phone, "terminate");
                Path call = Recordings.awaitFinished(recordings, 1, STEP_WITHIN).get(0);
                say(phone, "quit");
                assertTrue(phone.waitFor(STEP_WITHIN.toSeconds(), TimeUnit.SECONDS), log());

                JsonNode json = new ObjectMapper().readTree(call.resolve("call.json").toFile());
                assertEquals("caller_bye", json.path("end_reason").asText(), log());
                assertTrue(List.of("PCMU", "PCMA").contains(json.path("codec").asText()), json.toString());
                WavReader.Wav recorded = WavReader.read(call.resolve("audio.wav"));
                short[] agent = recorded.channel(1);
                assertTrue(Signals.goertzel(agent, 0, agent.length, TONE_HZ, recorded.sampleRate())
                        > 10 * Signals.goertzel(agent, 0, agent.length, 1000, recorded.sampleRate()),
                        "the agent's channel carries the echo of linphone's tone");

                byte[] file = Files.readAllBytes(heard);
                int rate = ByteBuffer.wrap(file, 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                short[] samples = heardSamples(file);
                assertTrue(samples.length > rate, "linphone recorded over a second: " + samples.length);
                assertTrue(Signals.rms(samples, 0, samples.length) > 100, "linphone heard audio: " + log());
                assertTrue(Signals.goertzel(samples, 0, samples.length, TONE_HZ, rate)
                        > 10 * Signals.goertzel(samples, 0, samples.length, 1000, rate),
                        "what linphone heard is the agent's echo of its tone");
            } finally {
                phone.destroyForcibly();
            }
        }
    }

    /**
     * The samples of linphone's recording: a canonical 44-byte header (16-bit mono PCM) and the samples to the end
     * of the file. linphone 5.1 writes the file's whole size as the data chunk's size, so a strict reader refuses it.
     */
    private static short[] heardSamples(byte[] file) {
        ByteBuffer header = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(file, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("WAVE", new String(file, 8, 4, StandardCharsets.US_ASCII));
        assertEquals("data", new String(file, 36, 4, StandardCharsets.US_ASCII));
        assertEquals(1, header.getShort(22), "mono");
        assertEquals(16, header.getShort(34), "16-bit");
        short[] samples = new short[(file.length - 44) / 2];
        ByteBuffer.wrap(file, 44, samples.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("linphonec.log"), StandardCharsets.UTF_8);
    }
}
