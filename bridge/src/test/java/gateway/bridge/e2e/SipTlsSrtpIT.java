package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.demoagent.DemoScript;
import gateway.testkit.Signals;
import gateway.testkit.TestTls;
import gateway.testkit.WavReader;
import gateway.testkit.WavWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real softphone over SIP/TLS with mandatory SRTP: baresip calls the gateway's TLS port (verifying its certificate
 * against the test CA) with {@code mediaenc=srtp-mand}, says a 440 Hz tone, listens, and hangs up when its audio file
 * ends; meanwhile it hears the demo agent echo the tone back.
 * What baresip heard (its decoded audio) and the recording's caller channel both carry the tone; call.json says
 * how the call ended. Under {@code rtp.srtp=require} a plain offer gets 488.
 */
@Tag("e2e")
class SipTlsSrtpIT {

    private static final int RTP_MIN = 33_600;
    private static final double TONE_HZ = 440;
    private static final int TONE_MS = 2_000;
    /** Silence after the tone: baresip hangs up when its audio file ends, and the echo must have come back by then. */
    private static final int LISTEN_MS = 5_000;
    private static final int RATE = 8000;
    /** baresip's own limit on the call (its audio file ends it first). */
    private static final int CALL_SECONDS = 20;

    @TempDir
    Path dir;

    private Process baresip(Path tls, String target) throws Exception {
        Path cfg = Files.createDirectories(dir.resolve("baresip"));
        Path rec = Files.createDirectories(dir.resolve("heard"));
        Path tone = dir.resolve("tone.wav");
        WavWriter.write(tone, RATE, Signals.concat(Signals.sine(TONE_HZ, RATE, 8000, RATE * TONE_MS / 1000),
                new short[RATE * LISTEN_MS / 1000]));
        Files.writeString(cfg.resolve("config"), String.join("\n",
                "poll_method epoll", "sip_listen 127.0.0.1:5090", "sip_cafile " + tls.resolve("test-only-ca.pem"),
                "audio_source aufile," + tone, "ausrc_srate 8000", "auplay_srate 8000", "ausrc_channels 1",
                "auplay_channels 1", "rtp_ports " + (RTP_MIN + 60) + "-" + (RTP_MIN + 90), "net_interface 127.0.0.1",
                "module_path /usr/lib/baresip/modules", "module g711.so", "module aufile.so", "module sndfile.so",
                "module srtp.so", "module_tmp account.so", "module_app menu.so", "snd_path " + rec, ""));
        Files.writeString(cfg.resolve("accounts"), "<sip:baresip@127.0.0.1;transport=tls>;regint=0;"
                + "mediaenc=srtp-mand;audio_codecs=PCMU/8000/1\n");
        Files.writeString(cfg.resolve("contacts"), "");
        return new ProcessBuilder("baresip", "-f", cfg.toString(), "-e", "/dial " + target,
                "-t", String.valueOf(CALL_SECONDS)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    @Test
    void aTlsCallWithMandatorySrtpIsHeardAndRecorded() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        TestTls.PemFiles pem = TestTls.serverPem(tls);
        TestTls.caCertificate(tls);
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, List.of(
                "--sip.tls.port=" + (RTP_MIN + 1), "--sip.tls.cert=" + pem.certificateChain(),
                "--sip.tls.key=" + pem.key(), "--rtp.srtp=require"))) {
            Process phone = baresip(tls, "sip:agent@127.0.0.1:" + gw.tlsPort() + ";transport=tls");
            boolean exited = phone.waitFor(CALL_SECONDS + 20, TimeUnit.SECONDS);
            String log = Files.readString(dir.resolve("baresip.log"), StandardCharsets.UTF_8);
            if (!exited) {
                phone.destroyForcibly();
            }
            assertTrue(exited, "baresip did not finish: " + log);

            Path call = Recordings.awaitFinished(recordings, 1, Duration.ofSeconds(20)).get(0);
            JsonNode json = new ObjectMapper().readTree(call.resolve("call.json").toFile());
            assertEquals("caller_bye", json.path("end_reason").asText(), log);
            assertEquals("PCMU", json.path("codec").asText());
            assertTrue(json.path("source").asText().startsWith("127.0.0.1:"), json.toString());
            WavReader.Wav recorded = WavReader.read(call.resolve("audio.wav"));
            short[] caller = recorded.channel(0);
            assertTrue(Signals.goertzel(caller, 0, caller.length, TONE_HZ, recorded.sampleRate())
                    > 10 * Signals.goertzel(caller, 0, caller.length, 1000, recorded.sampleRate()),
                    "the recording's caller channel carries the caller's 440 Hz tone, decrypted");

            Path heard;
            try (Stream<Path> files = Files.list(dir.resolve("heard"))) {
                heard = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst()
                        .orElseThrow(() -> new AssertionError("baresip wrote no -dec.wav: " + log));
            }
            WavReader.Wav echo = WavReader.read(heard);
            short[] samples = echo.channel(0);
            assertTrue(Signals.rms(samples, 0, samples.length) > 100, "baresip heard audio: " + log);
            assertTrue(Signals.goertzel(samples, 0, samples.length, TONE_HZ, echo.sampleRate())
                    > 10 * Signals.goertzel(samples, 0, samples.length, 1000, echo.sampleRate()),
                    "what baresip heard is the agent's echo of its tone, through SRTP both ways");
            assertEquals(0, gw.agent().connections() - 1, "one Realtime session");

            // RTCP goes as SRTCP both ways (RFC 3711 §3.4): baresip's reports are unprotected and read.
            JsonNode quality = json.path("quality");
            assertTrue(gw.metric("gateway_rtcp_packets_sent_total") >= 1, "our reports went out: " + quality);
            assertTrue(gw.metric("gateway_rtcp_packets_received_total") >= 1, "baresip's were read: " + quality);
            assertTrue(quality.path("remote").path("reports").asLong() >= 1, "baresip reported on our stream: "
                    + quality);
            // baresip sends its RTCP BYE at hang-up as plain RTCP, which SRTCP drops as failing its tag: that one.
            assertTrue(gw.metric("gateway_rtp_inbound_discarded_total{reason=\"srtp_auth\"}") <= 1,
                    "no SRTP or SRTCP packet failed its tag but baresip's plain BYE");
        }
    }

    @Test
    void aPlainOfferOverTlsGets488UnderSrtpRequireWithoutARealtimeSession() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        TestTls.PemFiles pem = TestTls.serverPem(tls);
        Path ca = TestTls.caCertificate(tls);
        Path recordings = Files.createDirectories(dir.resolve("recordings"));
        try (GatewayUnderIT gw = GatewayUnderIT.start(DemoScript.defaults(), RTP_MIN, recordings, List.of(
                "--sip.tls.port=" + (RTP_MIN + 1), "--sip.tls.cert=" + pem.certificateChain(),
                "--sip.tls.key=" + pem.key(), "--rtp.srtp=require"));
             TlsSipClient caller = new TlsSipClient(gw.tlsPort(), ca, null, null, Duration.ofSeconds(10))) {
            String sdp = "v=0\no=plain 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
                    + "m=audio " + (RTP_MIN + 70) + " RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n"
                    + "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n";
            int length = sdp.replace("\n", "\r\n").length();
            caller.send("INVITE sip:agent@127.0.0.1:" + gw.tlsPort() + ";transport=tls SIP/2.0\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:" + caller.localPort() + ";branch=z9hG4bK-plain-1;rport\n"
                    + "Max-Forwards: 70\n"
                    + "From: <sip:plain@127.0.0.1>;tag=plain1\n"
                    + "To: <sip:agent@127.0.0.1>\n"
                    + "Call-ID: plain-offer-1@127.0.0.1\n"
                    + "CSeq: 1 INVITE\n"
                    + "Contact: <sip:plain@127.0.0.1:" + caller.localPort() + ";transport=tls>\n"
                    + "Content-Type: application/sdp\n"
                    + "Content-Length: " + length + "\n\n" + sdp);
            SipMessage refused = caller.awaitFinalResponse();
            assertEquals(488, refused.statusCode(), refused.startLine());
            assertEquals("1 INVITE", refused.header("CSeq").orElseThrow());
            assertEquals(0, gw.agent().connections(), "a refused call never opens a Realtime session");
        }
    }
}
