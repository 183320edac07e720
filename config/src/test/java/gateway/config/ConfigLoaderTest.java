package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.testkit.TestTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheDocumentedContract() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of(), Map.of());
        assertEquals("0.0.0.0", c.sip().listen());
        assertEquals(5060, c.sip().port());
        assertEquals(10000, c.rtp().portMin());
        assertEquals(0, c.rtp().realtimePriority());
        assertTrue(c.rtp().strictSource());
        assertEquals(20000, c.rtp().portMax());
        assertEquals(URI.create("wss://api.openai.com/v1/realtime?model=gpt-realtime"), c.realtime().url());
        assertEquals("", c.realtime().apiKey());
        assertTrue(c.realtime().useDemoAgent());
        assertEquals("marin", c.agent().voice());
        assertEquals("gpt-4o-mini-transcribe", c.agent().transcriptionModel());
        assertEquals(Path.of("./recordings"), c.recordings().dir());
        assertEquals(5, c.recordings().bufferSeconds());
        assertEquals(500, c.sip().maxCalls());
        assertEquals("127.0.0.1", c.http().listen());
        assertEquals(8080, c.http().port());
        assertEquals("", c.http().apiToken());
        assertFalse(c.http().tokenRequired());
        assertFalse(c.sip().publicHost().isEmpty());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsFileWhichBeatsDefaults() throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, "sip:\n  port: 5070\n  listen: 127.0.0.1\nhttp.port: 9000\nagent:\n  voice: cedar\n");
        Map<String, String> env = Map.of("GATEWAY_SIP_PORT", "5080", "GATEWAY_HTTP_PORT", "9001");
        GatewayConfig c = ConfigLoader.load(List.of("--config", file.toString(), "--sip.port=5090"), env);
        assertEquals(5090, c.sip().port());
        assertEquals(9001, c.http().port());
        assertEquals("cedar", c.agent().voice());
        assertEquals("127.0.0.1", c.sip().listen());
        assertEquals("127.0.0.1", c.sip().publicHost(), "a concrete bind address is the public host");
    }

    @Test
    void environmentNamesUseUpperCaseAndUnderscores() throws Exception {
        assertEquals("GATEWAY_SIP_PUBLIC_HOST", ConfigKey.SIP_PUBLIC_HOST.envName());
        assertEquals("GATEWAY_AGENT_TRANSCRIPTION_MODEL", ConfigKey.AGENT_TRANSCRIPTION_MODEL.envName());
        GatewayConfig c = ConfigLoader.load(List.of(), Map.of("GATEWAY_RTP_PORT_MIN", "16000",
                "GATEWAY_SIP_PUBLIC_HOST", "gw.example.net"));
        assertEquals(16000, c.rtp().portMin());
        assertEquals("gw.example.net", c.sip().publicHost());
        assertEquals("gw.example.net", c.rtp().publicAddress(), "SDP c= follows sip.public-host by default");
    }

    @Test
    void theDrainGoodbyeHasAPoliteDefaultMayBeEmptyAndIsBounded() throws Exception {
        GatewayConfig.Shutdown byDefault = ConfigLoader.load(List.of(), Map.of()).shutdown();
        assertEquals("We have to end this call now. Goodbye.", byDefault.goodbye());
        assertEquals(8000, byDefault.goodbyeMaxMs());
        GatewayConfig.Shutdown none = ConfigLoader.load(List.of("--shutdown.goodbye=",
                "--shutdown.goodbye-max-ms=2500"), Map.of()).shutdown();
        assertEquals("", none.goodbye());
        assertEquals(2500, none.goodbyeMaxMs());
        ConfigException tooLong = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--shutdown.goodbye-max-ms=60001"), Map.of()));
        assertEquals("shutdown.goodbye-max-ms", tooLong.key());
    }

    @Test
    void answerDelayIsZeroByDefaultAndBounded() throws Exception {
        assertEquals(0, ConfigLoader.load(List.of(), Map.of()).sip().answerDelayMs());
        assertEquals(4000, ConfigLoader.load(List.of("--sip.answer-delay-ms=4000"), Map.of()).sip().answerDelayMs());
        ConfigException tooLong = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--sip.answer-delay-ms=600000"), Map.of()));
        assertTrue(tooLong.getMessage().contains("sip.answer-delay-ms"), tooLong.getMessage());
    }

    @Test
    void connectionCapsHaveDefaultsAndABadValueNamesItsKey() throws Exception {
        assertEquals(new GatewayConfig.Connections(2048, 64, 10),
                ConfigLoader.load(List.of(), Map.of()).sip().connections());
        assertEquals(new GatewayConfig.Connections(100, 8, 2), ConfigLoader.load(List.of("--sip.connections.max=100",
                "--sip.connections.per-source=8", "--sip.connections.message-timeout-seconds=2"), Map.of())
                .sip().connections());
        assertEquals("sip.connections.max", keyOf("--sip.connections.max=0"));
        assertEquals("sip.connections.per-source", keyOf("--sip.connections.per-source=many"));
        assertEquals("sip.connections.message-timeout-seconds",
                keyOf("--sip.connections.message-timeout-seconds=301"));
    }

    @Test
    void rtpPublicAddressSeparatesSdpFromContact() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of("--sip.public-host=sip.example.net",
                "--rtp.public-address=198.51.100.7"), Map.of());
        assertEquals("sip.example.net", c.sip().publicHost());
        assertEquals("198.51.100.7", c.rtp().publicAddress());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--rtp.public-address=not an address"), Map.of()));
        assertTrue(bad.getMessage().contains("rtp.public-address"), bad.getMessage());
    }

    @Test
    void apiKeyFallsBackToOpenAiVariableAndDisablesTheDemoAgent() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of(), Map.of("OPENAI_API_KEY", "sk-test-123"));
        assertEquals("sk-test-123", c.realtime().apiKey());
        assertFalse(c.realtime().useDemoAgent());
        assertFalse(c.realtime().toString().contains("sk-test-123"), "the key must never be printed");
        assertFalse(c.toString().contains("sk-test-123"));
        GatewayConfig own = ConfigLoader.load(List.of(),
                Map.of("OPENAI_API_KEY", "sk-a", "GATEWAY_REALTIME_API_KEY", "sk-b"));
        assertEquals("sk-b", own.realtime().apiKey());
    }

    @Test
    void apiTokenComesFromTheEnvironmentAndIsNeverPrinted() throws Exception {
        String token = "qa-token-0123456789_ABC~+/==";
        GatewayConfig c = ConfigLoader.load(List.of(), Map.of("GATEWAY_HTTP_API_TOKEN", token));
        assertEquals(token, c.http().apiToken());
        assertTrue(c.http().tokenRequired());
        assertEquals("Http[listen=127.0.0.1, port=8080, apiToken=set, tokens=[api-token], shareKey=generated]",
                c.http().toString());
        assertFalse(c.toString().contains(token), c.toString());
    }

    @Test
    void apiTokenMustBeLongAndFitABearerHeader() {
        ConfigException shortToken = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--http.api-token=abc123"), Map.of()));
        assertEquals("http.api-token: is too short to be a secret: use at least 16 characters",
                shortToken.getMessage());
        ConfigException spaced = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--http.api-token=secret token with spaces"), Map.of()));
        assertEquals("http.api-token", spaced.key());
        assertFalse(spaced.getMessage().contains("secret token"), "the value is not repeated: " + spaced.getMessage());
    }

    @Test
    void anExplicitUrlIsUsedEvenWithoutAKey() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of("--realtime.url=ws://127.0.0.1:9999/v1/realtime"), Map.of());
        assertFalse(c.realtime().useDemoAgent());
        assertEquals(URI.create("ws://127.0.0.1:9999/v1/realtime"), c.realtime().url());
    }

    @Test
    void aCaFileMustBeReadablePemCertificates() throws Exception {
        assertEquals(null, ConfigLoader.load(List.of(), Map.of()).realtime().caFile(), "the JDK's trust store");
        Path ca = TestTls.caCertificate(dir);
        GatewayConfig c = ConfigLoader.load(List.of("--realtime.ca-file=" + ca), Map.of());
        assertEquals(ca, c.realtime().caFile());
        assertTrue(c.realtime().toString().contains("caFile=" + ca), c.realtime().toString());

        Path missing = dir.resolve("missing.pem");
        assertEquals("realtime.ca-file: cannot read the file " + missing, assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--realtime.ca-file=" + missing), Map.of())).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "# no certificate here\n");
        assertEquals("realtime.ca-file: " + empty + " is not a file of PEM certificates (-----BEGIN CERTIFICATE-----):"
                + " No certificate data found", assertThrows(ConfigException.class,
                        () -> ConfigLoader.load(List.of("--realtime.ca-file=" + empty), Map.of())).getMessage());
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of(), Map.of("GATEWAY_REALTIME_CA_FILE", broken.toString())));
        assertEquals("realtime.ca-file", e.key());
        assertTrue(e.getMessage().startsWith("realtime.ca-file: " + broken + " is not a file of PEM certificates"),
                e.getMessage());
    }

    @Test
    void theAudioFormatIsPcm24kByDefaultOrG711AndABadOneNamesTheKey() throws Exception {
        assertEquals("pcm24k", ConfigLoader.load(List.of(), Map.of()).realtime().audioFormat());
        assertEquals("pcmu", ConfigLoader.load(List.of("--realtime.audio-format=pcmu"), Map.of()).realtime()
                .audioFormat());
        assertEquals("pcma", ConfigLoader.load(List.of(), Map.of("GATEWAY_REALTIME_AUDIO_FORMAT", "pcma"))
                .realtime().audioFormat());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--realtime.audio-format=ulaw"), Map.of()));
        assertEquals("realtime.audio-format", e.key());
        assertEquals("realtime.audio-format: must be one of pcm24k, pcmu, pcma, got 'ulaw'", e.getMessage());
    }

    @Test
    void theResendKeepsTwoSecondsByDefaultNoneAtZeroAndABadValueNamesTheKey() throws Exception {
        assertEquals(2000, ConfigLoader.load(List.of(), Map.of()).realtime().resendMs());
        assertEquals(0, ConfigLoader.load(List.of("--realtime.resend-ms=0"), Map.of()).realtime().resendMs());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--realtime.resend-ms=10001"), Map.of()));
        assertEquals("realtime.resend-ms", e.key());
    }

    @Test
    void callerAudioGoesToTheModelIn40MsBatchesByDefaultAndABatchIsWholeTicks() throws Exception {
        assertEquals(40, ConfigLoader.load(List.of(), Map.of()).realtime().inputBatchMs());
        assertEquals(20, ConfigLoader.load(List.of("--realtime.input-batch-ms=20"), Map.of()).realtime()
                .inputBatchMs());
        ConfigException odd = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--realtime.input-batch-ms=30"), Map.of()));
        assertEquals("realtime.input-batch-ms: must be a multiple of 20 ms (whole playout ticks), got 30",
                odd.getMessage());
        for (String bad : List.of("0", "220", "x")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(List.of("--realtime.input-batch-ms=" + bad), Map.of()));
            assertEquals("realtime.input-batch-ms", e.key());
        }
    }

    @Test
    void unknownFlagNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--sip.prot=5060"), Map.of()));
        assertEquals("sip.prot", e.key());
        assertEquals("sip.prot: unknown key (see --help)", e.getMessage());
    }

    @Test
    void unknownFileKeyNamesTheKey() throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, "sip:\n  portt: 5070\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--config=" + file), Map.of()));
        assertEquals("sip.portt", e.key());
    }

    @Test
    void anEmptyFileKeyIsNamedAsSuch() throws Exception {
        // YAML's empty key (here a null key with an anchor) has no name to give (found by ConfigFileFuzzTest).
        Path file = Files.writeString(dir.resolve("gw.yaml"), "&r : 5070\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--config=" + file), Map.of()));
        assertEquals("config: an empty key in " + file, e.getMessage());
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("sip.port", keyOf("--sip.port=abc"));
        assertEquals("sip.port", keyOf("--sip.port=70000"));
        assertEquals("rtp.port-min", keyOf("--rtp.port-min=10001"));
        assertEquals("rtp.port-max", keyOf("--rtp.port-max=9000"));
        assertEquals("rtp.realtime-priority", keyOf("--rtp.realtime-priority=100"));
        assertEquals("rtp.realtime-priority", keyOf("--rtp.realtime-priority=-1"));
        assertEquals("rtp.strict-source", keyOf("--rtp.strict-source=maybe"));
        assertEquals("realtime.url", keyOf("--realtime.url=http://example.com"));
        assertEquals("agent.voice", keyOf("--agent.voice="));
        assertEquals("http.listen", keyOf("--http.listen=not an address"));
    }

    @Test
    void badEnvironmentValueNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of(), Map.of("GATEWAY_HTTP_PORT", "eighty")));
        assertEquals("http.port", e.key());
        assertEquals("http.port: not a whole number: 'eighty'", e.getMessage());
    }

    @Test
    void helpListsEveryKey() {
        String help = ConfigLoader.help();
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(help.contains("--" + key.key() + "="), key.key());
            assertTrue(help.contains(key.envName()), key.envName());
        }
    }

    private static String keyOf(String flag) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of(flag), Map.of())).key();
    }

    @Test
    void recorderBufferAndCallLimitAreBounded() throws Exception {
        GatewayConfig c = ConfigLoader.load(List.of("--recordings.buffer-seconds=12", "--sip.max-calls=40"), Map.of());
        assertEquals(12, c.recordings().bufferSeconds());
        assertEquals(40, c.sip().maxCalls());
        ConfigException low = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--recordings.buffer-seconds=1"), Map.of()));
        assertEquals("recordings.buffer-seconds: must be between 2 and 60, got 1", low.getMessage());
        ConfigException none = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--sip.max-calls=0"), Map.of()));
        assertEquals("sip.max-calls: must be between 1 and 4096, got 0", none.getMessage());
    }

    @Test
    void theDeadAirThresholdDefaultsToThreeSecondsAndIsBounded() throws Exception {
        assertEquals(3_000, ConfigLoader.load(List.of(), Map.of()).recordings().deadAirMs());
        assertEquals(5_000, ConfigLoader.load(List.of("--recordings.dead-air-ms=5000"), Map.of()).recordings()
                .deadAirMs());
        ConfigException low = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--recordings.dead-air-ms=500"), Map.of()));
        assertEquals("recordings.dead-air-ms: must be between 1000 and 60000, got 500", low.getMessage());
    }

    @Test
    void theAnalyticsBackfillPaceDefaultsToTwoCallsASecondAndIsBounded() throws Exception {
        assertEquals(2, ConfigLoader.load(List.of(), Map.of()).recordings().analyticsBackfillPerSecond());
        assertEquals(0, ConfigLoader.load(List.of("--recordings.analytics-backfill-per-second=0"), Map.of())
                .recordings().analyticsBackfillPerSecond(), "0 switches it off");
        ConfigException high = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                List.of("--recordings.analytics-backfill-per-second=1001"), Map.of()));
        assertEquals("recordings.analytics-backfill-per-second: must be between 0 and 1000, got 1001",
                high.getMessage());
    }
}
