package gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import gateway.time.CallTimeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Loads the configuration from defaults, a YAML file, environment variables and flags, in rising precedence.
 * Unknown keys in the file or the flags, and bad values anywhere, fail with a message naming the key.
 * Environment variables other than the {@code GATEWAY_*} names of known keys (and {@code OPENAI_API_KEY}) are ignored.
 */
public final class ConfigLoader {

    /** The flag naming the YAML file. */
    public static final String CONFIG_FLAG = "config";
    /** The flag that stands for {@code --qa.only=true}. */
    public static final String QA_ONLY_FLAG = "--qa-only";
    /** Fallback for {@code realtime.api-key}, as every OpenAI client reads it. */
    public static final String OPENAI_API_KEY_ENV = "OPENAI_API_KEY";
    /** The longest ring we let a caller hear before the answer: a minute (trunks give up on a silent call sooner). */
    static final int MAX_ANSWER_DELAY_MS = 60_000;
    /** More connections than a process's usual file-descriptor limit allows is a typo. */
    static final int MAX_CONNECTIONS = 100_000;
    /** Five minutes: the idle timeout of a connection; a message slower than that is no caller's. */
    static final int MAX_MESSAGE_TIMEOUT_SECONDS = 300;
    /** A day: long calls exist, but a rollout that waits longer than that for one is stuck. */
    static final int MAX_DRAIN_SECONDS = 86_400;
    static final int MIN_GOODBYE_MS = 100;
    static final int MAX_GOODBYE_MS = 60_000;
    /** Most concurrent calls accepted: the SIP layer keeps at most 4096 dialogs. */
    static final int MAX_CALLS_LIMIT = 4096;
    /** A terabyte: more free space than that is no floor but a typo. */
    static final int MAX_MIN_FREE_MB = 1 << 20;
    private static final long BYTES_PER_MB = 1L << 20;
    /** A pong takes milliseconds; below a second a loaded host's late one would drop a live session. */
    static final int MIN_IDLE_TIMEOUT_MS = 1000;
    /** Ten minutes: a caller left that long with a dead session hears nothing. */
    static final int MAX_IDLE_TIMEOUT_MS = 600_000;
    /** Ten seconds of caller audio kept as sent (480 KB a call): older speech would confuse a new session more. */
    static final int MAX_RESEND_MS = 10_000;
    /** The caller's audio waits at most this long for its batch to go to the model. */
    static final int MAX_INPUT_BATCH_MS = 200;
    /**
     * Least recorder buffer: the gateway refuses new calls once the writer is 1 s behind, so 2 s leaves the calls up
     * another second. Most: a minute of stall is a broken disk; beyond it the memory is better spent on calls.
     * The recorder's own {@code RecorderSettings} checks the same bounds.
     */
    static final int MIN_BUFFER_SECONDS = 2;
    static final int MAX_BUFFER_SECONDS = 60;
    /** Dead air shorter than a second is a pause for breath; longer than a minute, nobody needs it measured. */
    static final int MIN_DEAD_AIR_MS = 1_000;
    static final int MAX_DEAD_AIR_MS = 60_000;
    /** Calls a second the analytics backfill may measure: far past what a disk serves beside live calls. */
    static final int MAX_BACKFILL_PER_SECOND = 1_000;

    /** Shortest accepted QA API token: 16 characters, about 95 bits when drawn at random from the b64token set. */
    static final int MIN_API_TOKEN_CHARS = 16;
    /** A century: longer is surely a typo. */
    static final int MAX_RETENTION_DAYS = 36_500;
    /** An hour of silence is no longer a pause: a caller gone that long has gone. */
    static final int MAX_RTP_TIMEOUT_SECONDS = 3_600;
    /** The highest SCHED_FIFO priority on Linux (sched(7)). */
    static final int MAX_REALTIME_PRIORITY = 99;
    /** Shortest time between retention sweeps: each sweep walks the index, so not more than once a second. */
    static final int MIN_SWEEP_MS = 1000;
    /** The levels {@code log.level} takes, as SLF4J names them. */
    private static final List<String> LOG_LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
    /** Most repeats of one line per 10 s: past a thousand the limit no longer keeps the log readable. */
    static final int MAX_REPEAT_LIMIT = 1000;
    /** The codec names {@code rtp.codecs} knows. */
    private static final List<String> CODECS = List.of("G722", "PCMU", "PCMA");
    /** RFC 6750 §2.1 b64token: what a Bearer credential may hold. */
    private static final Pattern API_TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private ConfigLoader() {
    }

    /** Resolves and validates the configuration from command-line arguments and an environment. */
    public static GatewayConfig load(List<String> args, Map<String, String> env) throws ConfigException {
        Resolved r = resolve(args, env);
        return build(r.values(), r.explicit(), r.profiles());
    }

    /**
     * Every key's effective value and where it came from (what {@code --print-config} shows), after validating the
     * whole configuration as {@link #load} does. Secrets are masked ({@link ConfigKey#secret()}).
     */
    public static List<EffectiveSetting> effective(List<String> args, Map<String, String> env)
            throws ConfigException {
        Resolved r = resolve(args, env);
        build(r.values(), r.explicit(), r.profiles());
        List<EffectiveSetting> settings = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            settings.add(EffectiveSetting.of(key.key(), key.secret(), r.values().get(key), r.sources().get(key)));
        }
        for (Map.Entry<String, Map<ConfigKey, String>> profile : r.profiles().entrySet()) {
            for (Map.Entry<ConfigKey, String> e : profile.getValue().entrySet()) {
                String name = RoutingConfig.PROFILES + profile.getKey() + "."
                        + e.getKey().key().substring(AgentConfig.PREFIX.length());
                settings.add(EffectiveSetting.of(name, e.getKey().secret(), e.getValue(),
                        r.sources().getOrDefault(name, EffectiveSetting.Source.FILE)));
            }
        }
        return settings;
    }

    /** The values before validation: defaults overlaid by the file, the environment and the flags, and whence. */
    private record Resolved(Map<ConfigKey, String> values, Map<ConfigKey, Boolean> explicit,
                            Map<String, Map<ConfigKey, String>> profiles,
                            Map<Object, EffectiveSetting.Source> sources) {
    }

    private static Resolved resolve(List<String> args, Map<String, String> env) throws ConfigException {
        Map<String, String> flags = parseFlags(args);
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, Boolean> explicit = new EnumMap<>(ConfigKey.class);
        Map<String, Map<ConfigKey, String>> profiles = new LinkedHashMap<>();
        Map<Object, EffectiveSetting.Source> sources = new HashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
            sources.put(key, EffectiveSetting.Source.DEFAULT);
        }
        String apiKeyFromOpenAi = env.get(OPENAI_API_KEY_ENV);
        if (apiKeyFromOpenAi != null) {
            values.put(ConfigKey.REALTIME_API_KEY, apiKeyFromOpenAi.trim());
            sources.put(ConfigKey.REALTIME_API_KEY, EffectiveSetting.Source.ENV);
        }
        String file = flags.remove(CONFIG_FLAG);
        if (file == null) {
            file = env.get("GATEWAY_CONFIG");
        }
        if (file != null) {
            Map<String, String> fromFile = readYaml(Path.of(file));
            putAll(fromFile, values, explicit, profiles);
            markSources(fromFile.keySet(), EffectiveSetting.Source.FILE, sources);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String v = env.get(key.envName());
            if (v != null) {
                values.put(key, v);
                explicit.put(key, true);
                sources.put(key, EffectiveSetting.Source.ENV);
            }
        }
        putAll(flags, values, explicit, profiles);
        markSources(flags.keySet(), EffectiveSetting.Source.FLAG, sources);
        return new Resolved(values, explicit, profiles, sources);
    }

    /** Notes that {@code names} (dotted keys, or a profile's copies of keys) were set by {@code source}. */
    private static void markSources(Collection<String> names, EffectiveSetting.Source source,
                                    Map<Object, EffectiveSetting.Source> sources) {
        for (String name : names) {
            ConfigKey.byKey(name).ifPresentOrElse(key -> sources.put(key, source), () -> sources.put(name, source));
        }
    }

    /** The text of {@code --help}: every option with its default and environment name. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ./gateway [--config FILE] [--key=value ...]\n\n")
                .append("Every key can be set in the YAML file, as --key=value,"
                        + " or as the environment variable shown.\n")
                .append("Precedence: flags > environment > file > defaults.\n\n");
        sb.append(String.format("  %-30s %s%n", "--config=FILE", "YAML configuration file (env GATEWAY_CONFIG)"));
        sb.append(String.format("  %-30s %s%n", "--help", "print this help"));
        sb.append(String.format("  %-30s %s%n", "--print-config", "print every key's effective value (secrets"
                + " masked) and whence it came (default, file, env, flag), then exit; opens no port"));
        sb.append(String.format("  %-30s %s%n", "--check-config", "validate the configuration, then exit: 0 if"
                + " valid, 2 naming the bad key; opens no port"));
        sb.append(String.format("  %-30s %s%n", QA_ONLY_FLAG, "the same as --qa.only=true: the QA API and page"
                + " over the stored calls only"));
        sb.append(String.format("  %-30s %s%n", "--profiles.NAME.KEY=", "routing profile NAME's value of agent.KEY"
                + " (file and flags only; see routes)"));
        for (ConfigKey key : ConfigKey.values()) {
            String def = key == ConfigKey.REALTIME_API_KEY ? "$OPENAI_API_KEY" : key.defaultValue();
            sb.append(String.format("  --%-28s %s%n  %-30s default: %s, env %s%n",
                    key.key() + "=", key.help(), "", def.isEmpty() ? "(see text)" : def, key.envName()));
        }
        return sb.toString();
    }

    private static Map<String, String> parseFlags(List<String> args) throws ConfigException {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException(arg, "not a flag; use --key=value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name;
            String value;
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                name = body;
                value = args.get(++i);
            } else {
                throw new ConfigException(body, "needs a value (--" + body + "=value)");
            }
            if (!name.equals(CONFIG_FLAG) && !known(name)) {
                throw new ConfigException(name, "unknown key (see --help)");
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static Map<String, String> readYaml(Path file) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FLAG, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException(CONFIG_FLAG, file + " must hold a mapping of keys");
        }
        flatten("", root, flat);
        for (String key : flat.keySet()) {
            if (key.isEmpty()) {
                // YAML allows an empty (or null) key, which has no name to give (found by ConfigFileFuzzTest).
                throw new ConfigException(CONFIG_FLAG, "an empty key in " + file);
            }
            if (!known(key)) {
                throw new ConfigException(key, "unknown key in " + file + " (see --help)");
            }
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) throws ConfigException {
        flatten(prefix, node, out, RoutingConfig::structured);
    }

    /** True for a key of {@link ConfigKey} or a routing profile's copy of an {@code agent.*} one. */
    private static boolean known(String key) {
        return ConfigKey.byKey(key).isPresent() || RoutingConfig.profileKey(key).isPresent();
    }

    /**
     * Turns the file's tree into dotted keys. The value of a structured key (a list or a mapping) is kept whole, as
     * JSON text, exactly as a flag or an environment variable would give it.
     */
    static void flatten(String prefix, JsonNode node, Map<String, String> out, Predicate<String> structured)
            throws ConfigException {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (structured.test(key)) {
                out.put(key, value.isNull() ? "" : value.toString());
            } else if (value.isObject()) {
                flatten(key, value, out, structured);
            } else if (value.isArray()) {
                throw new ConfigException(key, "a list is not allowed here");
            } else {
                out.put(key, value.isNull() ? "" : value.asText());
            }
        }
    }

    /**
     * The value of a structured key as a JSON tree (a missing node when it is empty), or a {@link ConfigException}
     * naming the key when it is not JSON. Readers of a structured key name the failing element in their own
     * exceptions as {@code key[index].field}.
     */
    public static JsonNode structured(ConfigKey key, String text) throws ConfigException {
        return structured(key.key(), text);
    }

    /** As {@link #structured(ConfigKey, String)}, naming the key {@code name} (a profile's copy of a key). */
    static JsonNode structured(String name, String text) throws ConfigException {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(name, "not valid JSON (a flag or environment variable takes the list or"
                    + " mapping as JSON): " + e.getOriginalMessage());
        }
    }

    private static void putAll(Map<String, String> source, Map<ConfigKey, String> values,
                               Map<ConfigKey, Boolean> explicit, Map<String, Map<ConfigKey, String>> profiles)
            throws ConfigException {
        for (Map.Entry<String, String> e : source.entrySet()) {
            var profileKey = RoutingConfig.profileKey(e.getKey());
            if (profileKey.isPresent()) {
                profiles.computeIfAbsent(profileKey.get().profile(), p -> new EnumMap<>(ConfigKey.class))
                        .put(profileKey.get().key(), e.getValue());
                continue;
            }
            ConfigKey key = ConfigKey.byKey(e.getKey())
                    .orElseThrow(() -> new ConfigException(e.getKey(), "unknown key (see --help)"));
            values.put(key, e.getValue());
            explicit.put(key, true);
        }
    }

    private static GatewayConfig build(Map<ConfigKey, String> v, Map<ConfigKey, Boolean> explicit,
                                       Map<String, Map<ConfigKey, String>> profiles) throws ConfigException {
        String sipListen = address(ConfigKey.SIP_LISTEN, v);
        int sipPort = port(ConfigKey.SIP_PORT, v, true);
        String publicHost = v.get(ConfigKey.SIP_PUBLIC_HOST).trim();
        if (publicHost.isEmpty()) {
            publicHost = defaultPublicHost(sipListen);
        } else {
            publicHost = address(ConfigKey.SIP_PUBLIC_HOST, v);
        }
        String rtpAddress = v.get(ConfigKey.RTP_PUBLIC_ADDRESS).trim().isEmpty()
                ? publicHost : address(ConfigKey.RTP_PUBLIC_ADDRESS, v);
        int rtpMin = port(ConfigKey.RTP_PORT_MIN, v, false);
        int rtpMax = port(ConfigKey.RTP_PORT_MAX, v, false);
        if (rtpMin % 2 != 0) {
            throw new ConfigException(ConfigKey.RTP_PORT_MIN.key(),
                    "must be even (RTP uses even ports), got " + rtpMin);
        }
        if (rtpMax <= rtpMin) {
            throw new ConfigException(ConfigKey.RTP_PORT_MAX.key(),
                    "must be greater than rtp.port-min (" + rtpMin + ")");
        }
        int rtpTimeout = boundedInt(ConfigKey.RTP_TIMEOUT_SECONDS, v, 0, MAX_RTP_TIMEOUT_SECONDS);
        URI url = realtimeUrl(v.get(ConfigKey.REALTIME_URL));
        String apiKey = v.get(ConfigKey.REALTIME_API_KEY).trim();
        boolean urlExplicit = explicit.getOrDefault(ConfigKey.REALTIME_URL, false);
        boolean demoAgent = apiKey.isEmpty() && !urlExplicit;
        String allowed = v.get(ConfigKey.SIP_ALLOWED_SOURCES).trim();
        SourceFilter sources;
        try {
            sources = allowed.isEmpty()
                    ? (demoAgent ? SourceFilter.ANY : SourceFilter.LOOPBACK)
                    : SourceFilter.parse(allowed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.SIP_ALLOWED_SOURCES.key(), e.getMessage());
        }
        int connectTimeout = boundedInt(ConfigKey.REALTIME_CONNECT_TIMEOUT_MS, v, 100, 60_000);
        int rolloverMargin = boundedInt(ConfigKey.REALTIME_ROLLOVER_MARGIN_MS, v, 0, 3_600_000);
        int reconnectAttempts = boundedInt(ConfigKey.REALTIME_RECONNECT_ATTEMPTS, v, 0, 100);
        int reconnectBackoff = boundedInt(ConfigKey.REALTIME_RECONNECT_BACKOFF_MS, v, 0, 60_000);
        int contextChars = boundedInt(ConfigKey.REALTIME_CONTEXT_MAX_CHARS, v, 0, 1_000_000);
        GatewayConfig.Agent agent = AgentConfig.parse(v);
        GatewayConfig.Routing routing = RoutingConfig.parse(v, profiles);
        String dir = nonEmpty(ConfigKey.RECORDINGS_DIR, v);
        int maxCalls = boundedInt(ConfigKey.SIP_MAX_CALLS, v, 1, MAX_CALLS_LIMIT);
        int answerDelayMs = boundedInt(ConfigKey.SIP_ANSWER_DELAY_MS, v, 0, MAX_ANSWER_DELAY_MS);
        int bufferSeconds = boundedInt(ConfigKey.RECORDINGS_BUFFER_SECONDS, v, MIN_BUFFER_SECONDS, MAX_BUFFER_SECONDS);
        GatewayConfig.Storage storage = StorageConfig.parse(v);
        int retentionDays = boundedInt(ConfigKey.RECORDINGS_RETENTION_DAYS, v, 0, MAX_RETENTION_DAYS);
        int sweepMs = boundedInt(ConfigKey.RECORDINGS_RETENTION_SWEEP_MS, v, MIN_SWEEP_MS, Integer.MAX_VALUE);
        boolean keepLocal = bool(ConfigKey.RECORDINGS_KEEP_LOCAL, v);
        if (!keepLocal && !storage.enabled()) {
            throw new ConfigException(ConfigKey.RECORDINGS_KEEP_LOCAL.key(),
                    "false needs storage.s3.bucket: without object storage the local copy is the only one");
        }
        boolean qaOnly = bool(ConfigKey.QA_ONLY, v);
        if (qaOnly && !storage.enabled() && !Files.isDirectory(Path.of(dir))) {
            throw new ConfigException(ConfigKey.QA_ONLY.key(), "needs calls to serve: set storage.s3.bucket, or a"
                    + " recordings.dir that exists (" + dir + " does not)");
        }
        String httpListen = address(ConfigKey.HTTP_LISTEN, v);
        int httpPort = port(ConfigKey.HTTP_PORT, v, true);
        String apiToken = apiToken(v);
        List<GatewayConfig.HttpToken> httpTokens = HttpTokensConfig.parse(v, apiToken);
        GatewayConfig.SipAccess sipAccess = SipAccessConfig.parse(v, explicit, publicHost);
        Path consentPrompt = consentPrompt(v);
        if (consentPrompt == null) {
            earlyMediaNeedsPrompt(agent, routing);
        }
        return new GatewayConfig(
                new GatewayConfig.Sip(sipListen, sipPort, publicHost, sources, maxCalls,
                        SecureTransportConfig.tls(v, sipPort), SecureTransportConfig.proxyTrusted(v), answerDelayMs,
                        new GatewayConfig.Connections(
                                boundedInt(ConfigKey.SIP_CONNECTIONS_MAX, v, 1, MAX_CONNECTIONS),
                                boundedInt(ConfigKey.SIP_CONNECTIONS_PER_SOURCE, v, 1, MAX_CONNECTIONS),
                                boundedInt(ConfigKey.SIP_CONNECTIONS_MESSAGE_TIMEOUT_SECONDS, v, 1,
                                        MAX_MESSAGE_TIMEOUT_SECONDS))),
                new GatewayConfig.Rtp(rtpMin, rtpMax, SecureTransportConfig.srtpMode(v),
                        bool(ConfigKey.RTP_SRTP_OVER_PLAIN_SIP, v), rtpTimeout, rtpAddress, codecs(v),
                        boundedInt(ConfigKey.RTP_REALTIME_PRIORITY, v, 0, MAX_REALTIME_PRIORITY),
                        bool(ConfigKey.RTP_STRICT_SOURCE, v)),
                new GatewayConfig.Realtime(url, apiKey, urlExplicit, connectTimeout, rolloverMargin,
                        reconnectAttempts, reconnectBackoff, contextChars, caFile(v), audioFormat(v),
                        boundedInt(ConfigKey.REALTIME_IDLE_TIMEOUT_MS, v, MIN_IDLE_TIMEOUT_MS, MAX_IDLE_TIMEOUT_MS),
                        boundedInt(ConfigKey.REALTIME_RESEND_MS, v, 0, MAX_RESEND_MS), inputBatchMs(v)),
                agent,
                new GatewayConfig.Recordings(Path.of(dir), bufferSeconds, consentPrompt,
                        bool(ConfigKey.RECORDINGS_PAUSE_TOOL, v), retentionDays, sweepMs, keepLocal,
                        boundedInt(ConfigKey.RECORDINGS_DEAD_AIR_MS, v, MIN_DEAD_AIR_MS, MAX_DEAD_AIR_MS),
                        boundedInt(ConfigKey.RECORDINGS_MIN_FREE_MB, v, 0, MAX_MIN_FREE_MB) * BYTES_PER_MB,
                        RedactConfig.parse(v),
                        boundedInt(ConfigKey.RECORDINGS_ANALYTICS_BACKFILL_PER_SECOND, v, 0,
                                MAX_BACKFILL_PER_SECOND)),
                storage,
                new GatewayConfig.Http(httpListen, httpPort, apiToken, httpTokens, shareKey(v),
                        boundedInt(ConfigKey.HTTP_AUDIT_RETENTION_DAYS, v, 0, MAX_RETENTION_DAYS),
                        ScorecardConfig.parse(v)),
                sipAccess, routing,
                new GatewayConfig.Shutdown(boundedInt(ConfigKey.SHUTDOWN_DRAIN_SECONDS, v, 0, MAX_DRAIN_SECONDS),
                        v.get(ConfigKey.SHUTDOWN_GOODBYE).strip(),
                        boundedInt(ConfigKey.SHUTDOWN_GOODBYE_MAX_MS, v, MIN_GOODBYE_MS, MAX_GOODBYE_MS)),
                EventsConfig.parse(v, Path.of(dir)), log(v), qaOnly);
    }

    private static GatewayConfig.Log log(Map<ConfigKey, String> v) throws ConfigException {
        String format = v.get(ConfigKey.LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException(ConfigKey.LOG_FORMAT.key(), "must be text or json, got '" + format + "'");
        }
        String level = v.get(ConfigKey.LOG_LEVEL).trim().toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException(ConfigKey.LOG_LEVEL.key(), "must be one of " + LOG_LEVELS + ", got '"
                    + v.get(ConfigKey.LOG_LEVEL).trim() + "'");
        }
        return new GatewayConfig.Log(format.equals("json"), level,
                boundedInt(ConfigKey.LOG_REPEAT_LIMIT, v, 0, MAX_REPEAT_LIMIT));
    }

    /** Early media plays the consent prompt: a profile asking for it without one is a mistake, named by its key. */
    private static void earlyMediaNeedsPrompt(GatewayConfig.Agent agent, GatewayConfig.Routing routing)
            throws ConfigException {
        String why = "consent needs recordings.consent-prompt: early media plays that announcement";
        if (agent.earlyMedia()) {
            throw new ConfigException(ConfigKey.AGENT_EARLY_MEDIA.key(), why);
        }
        for (Map.Entry<String, GatewayConfig.Agent> profile : routing.profiles().entrySet()) {
            if (profile.getValue().earlyMedia()) {
                throw new ConfigException("profiles." + profile.getKey() + "."
                        + ConfigKey.AGENT_EARLY_MEDIA.key().substring("agent.".length()), why);
            }
        }
    }

    private static URI realtimeUrl(String raw) throws ConfigException {
        String key = ConfigKey.REALTIME_URL.key();
        try {
            URI uri = new URI(raw.trim());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
                throw new ConfigException(key, "must be a ws:// or wss:// URL, got " + raw);
            }
            if (uri.getHost() == null) {
                throw new ConfigException(key, "has no host: " + raw);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "not a URL: " + e.getMessage());
        }
    }

    /**
     * The QA API token: empty, or a b64token (RFC 6750 §2.1) of at least {@link #MIN_API_TOKEN_CHARS} characters.
     * The message never repeats the value.
     */
    private static String apiToken(Map<ConfigKey, String> v) throws ConfigException {
        String token = v.get(ConfigKey.HTTP_API_TOKEN).trim();
        if (!token.isEmpty()) {
            checkToken(ConfigKey.HTTP_API_TOKEN.key(), token);
        }
        return token;
    }

    /** The share links' HMAC key: empty (generated) or 16+ characters; never repeated in a message. */
    private static String shareKey(Map<ConfigKey, String> v) throws ConfigException {
        String key = v.get(ConfigKey.HTTP_SHARE_KEY).trim();
        if (!key.isEmpty() && key.length() < MIN_API_TOKEN_CHARS) {
            throw new ConfigException(ConfigKey.HTTP_SHARE_KEY.key(),
                    "is too short to be a secret: use at least " + MIN_API_TOKEN_CHARS + " characters");
        }
        return key;
    }

    /** Checks a bearer token's syntax and length, naming {@code key}; the message never repeats the value. */
    static void checkToken(String key, String token) throws ConfigException {
        if (!API_TOKEN_SYNTAX.matcher(token).matches()) {
            throw new ConfigException(key,
                    "may only hold A-Z a-z 0-9 - . _ ~ + / (and = at the end), so it fits a Bearer header");
        }
        if (token.length() < MIN_API_TOKEN_CHARS) {
            throw new ConfigException(key,
                    "is too short to be a secret: use at least " + MIN_API_TOKEN_CHARS + " characters");
        }
    }

    private static String address(ConfigKey key, Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(key).trim();
        if (raw.isEmpty()) {
            throw new ConfigException(key.key(), "must not be empty");
        }
        if (!raw.matches("[0-9A-Za-z.:\\-\\[\\]%]+")) {
            throw new ConfigException(key.key(), "not an address: " + raw);
        }
        return raw;
    }

    /** The consent announcement's file, which must be readable; null when none is configured. */
    private static Path consentPrompt(Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(ConfigKey.RECORDINGS_CONSENT_PROMPT).trim();
        if (raw.isEmpty()) {
            return null;
        }
        Path file = Path.of(raw);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(ConfigKey.RECORDINGS_CONSENT_PROMPT.key(), "cannot read the file " + raw);
        }
        return file;
    }

    /** {@code realtime.audio-format}: one of {@link GatewayConfig.Realtime#AUDIO_FORMATS}. */
    private static String audioFormat(Map<ConfigKey, String> v) throws ConfigException {
        String format = v.get(ConfigKey.REALTIME_AUDIO_FORMAT).trim();
        if (!GatewayConfig.Realtime.AUDIO_FORMATS.contains(format)) {
            throw new ConfigException(ConfigKey.REALTIME_AUDIO_FORMAT.key(), "must be one of "
                    + String.join(", ", GatewayConfig.Realtime.AUDIO_FORMATS) + ", got '" + format + "'");
        }
        return format;
    }

    /**
     * The CA file TLS trusts for the Realtime service: readable, and PEM with at least one X.509 certificate and
     * nothing else a parser refuses; null when none is configured.
     */
    private static Path caFile(Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(ConfigKey.REALTIME_CA_FILE).trim();
        if (raw.isEmpty()) {
            return null;
        }
        String key = ConfigKey.REALTIME_CA_FILE.key();
        Path file = Path.of(raw);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(key, "cannot read the file " + raw);
        }
        String problem;
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            problem = certificates.isEmpty() ? "none found" : null;
        } catch (IOException | CertificateException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            throw new ConfigException(key, raw + " is not a file of PEM certificates (-----BEGIN CERTIFICATE-----): "
                    + problem);
        }
        return file;
    }

    private static int port(ConfigKey key, Map<ConfigKey, String> v, boolean zeroAllowed) throws ConfigException {
        int port = integer(key, v);
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new ConfigException(key.key(),
                    "must be a port number " + (zeroAllowed ? "0" : "1") + "-65535, got " + port);
        }
        return port;
    }

    /** {@code rtp.codecs}: known names (G722, PCMU, PCMA, any case), at least one, none twice; upper case. */
    static List<String> codecs(Map<ConfigKey, String> v) throws ConfigException {
        List<String> codecs = new ArrayList<>();
        for (String part : v.get(ConfigKey.RTP_CODECS).split(",", -1)) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (!CODECS.contains(name)) {
                throw new ConfigException(ConfigKey.RTP_CODECS.key(),
                        "unknown codec '" + part.trim() + "' (known: " + String.join(", ", CODECS) + ")");
            }
            if (codecs.contains(name)) {
                throw new ConfigException(ConfigKey.RTP_CODECS.key(), name + " is listed twice");
            }
            codecs.add(name);
        }
        return List.copyOf(codecs);
    }

    static boolean bool(ConfigKey key, Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(key).trim();
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key.key(), "must be true or false, got '" + raw + "'");
    }

    private static int inputBatchMs(Map<ConfigKey, String> v) throws ConfigException {
        // Batches are whole playout ticks: the ticks bound how long a partial batch waits.
        int ms = boundedInt(ConfigKey.REALTIME_INPUT_BATCH_MS, v, CallTimeline.FRAME_MS, MAX_INPUT_BATCH_MS);
        if (ms % CallTimeline.FRAME_MS != 0) {
            throw new ConfigException(ConfigKey.REALTIME_INPUT_BATCH_MS.key(), "must be a multiple of "
                    + CallTimeline.FRAME_MS + " ms (whole playout ticks), got " + ms);
        }
        return ms;
    }

    static int boundedInt(ConfigKey key, Map<ConfigKey, String> v, int min, int max) throws ConfigException {
        int n = integer(key, v);
        if (n < min || n > max) {
            throw new ConfigException(key.key(), "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static int integer(ConfigKey key, Map<ConfigKey, String> v) throws ConfigException {
        String raw = v.get(key).trim();
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ConfigException(key.key(), "not a whole number: '" + raw + "'");
        }
    }

    static String nonEmpty(ConfigKey key, Map<ConfigKey, String> v) throws ConfigException {
        String s = v.get(key).trim();
        if (s.isEmpty()) {
            throw new ConfigException(key.key(), "must not be empty");
        }
        return s;
    }

    /** The bind address when it is a concrete one, else the first non-loopback IPv4 address, else 127.0.0.1. */
    static String defaultPublicHost(String listen) {
        if (!listen.equals("0.0.0.0") && !listen.equals("::") && !listen.equals("[::]")) {
            return listen;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            return "127.0.0.1";
        }
        return "127.0.0.1";
    }
}
