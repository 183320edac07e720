package gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The gateway's whole configuration, validated. */
public record GatewayConfig(Sip sip, Rtp rtp, Realtime realtime, Agent agent, Recordings recordings, Storage storage,
                            Http http, SipAccess sipAccess, Routing routing, Shutdown shutdown, Events events,
                            Log log, boolean qaOnly) {

    /**
     * SIGTERM's drain: at most {@code drainSeconds}, then {@code goodbye} (empty = none) said on each call left
     * within {@code goodbyeMaxMs} before its BYE.
     */
    public record Shutdown(int drainSeconds, String goodbye, int goodbyeMaxMs) { }

    /**
     * How the gateway logs.
     *
     * @param json        one JSON object per line instead of text
     * @param level       the least level logged: ERROR, WARN, INFO, DEBUG or TRACE
     * @param repeatLimit lines of one logger and message let through per 10 s (0 = no limit)
     */
    public record Log(boolean json, String level, int repeatLimit) { }

    /**
     * Routing profiles: each an agent whole ({@code profiles.<name>.*} over {@code agent.*}), in the order the
     * configuration gives them (the {@code agent.*} one, {@value #DEFAULT_PROFILE}, not among them); the routes that
     * pick one by the called user, first match first; and whether a call no route matches is refused (404) rather than
     * given the default profile.
     */
    public record Routing(Map<String, Agent> profiles, List<Route> routes, boolean rejectUnknown) {
        public Routing {
            profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
            routes = List.copyOf(routes);
        }
    }

    /** The name of the profile the {@code agent.*} keys make. */
    public static final String DEFAULT_PROFILE = "default";

    /**
     * A route: calls whose Request-URI user or To user is {@code match} (or starts with it, when it ends in
     * {@code *}) get the profile {@code profile}.
     */
    public record Route(String match, String profile) {

        /** The wildcard that ends a prefix match. */
        public static final String ANY_REST = "*";

        /** True when {@code user} is this route's: compared as written, as RFC 3261 §19.1.4 compares user parts. */
        public boolean matches(String user) {
            if (user == null) {
                return false;
            }
            return match.endsWith(ANY_REST) ? user.startsWith(match.substring(0, match.length() - 1))
                    : user.equals(match);
        }
    }

    /**
     * SIP transport: bind address, port (UDP and TCP), the host advertised in Contact and SDP, the sources allowed
     * to place calls, how many calls may be up at once, the TLS listener ({@code null}: none) and the load balancers
     * trusted to send PROXY protocol headers ({@code null}: PROXY protocol off), and the caps on TCP/TLS connections.
     */
    public record Sip(String listen, int port, String publicHost, SourceFilter allowedSources, int maxCalls, Tls tls,
                      SourceFilter proxyTrusted, int answerDelayMs, Connections connections) { }

    /**
     * TCP and TLS connections: how many callers may hold open in all and from one address, and the seconds a
     * connection may take to deliver one whole message (its first one counted from the connect).
     */
    public record Connections(int max, int perSource, int messageTimeoutSeconds) { }

    /** SIP over TLS: its port, the PEM certificate chain and key, and the client CA of mutual TLS ({@code null}). */
    public record Tls(int port, Path certificate, Path key, Path clientCa) { }

    /**
     * The even RTP port range (RTCP on each port + 1), the SRTP mode ({@code off}, {@code offer}, {@code require}),
     * whether SRTP keys may travel over plain SIP, how long a caller may send nothing (no RTP, no RTCP) while not on
     * hold before the call is ended (0 = never), and the address our SDP's {@code c=} gives for RTP
     * ({@code rtp.public-address}, else {@code sip.public-host}), and the codecs in preference order
     * ({@code rtp.codecs}: G722, PCMU, PCMA), the real-time priority the media loops ask for
     * ({@code rtp.realtime-priority}, 0 = none), and whether a latched source is the only one heard
     * ({@code rtp.strict-source}).
     */
    public record Rtp(int portMin, int portMax, String srtp, boolean srtpOverPlainSip, int timeoutSeconds,
                      String publicAddress, List<String> codecs, int realtimePriority, boolean strictSource) { }

    /**
     * Who may call beyond {@link Sip#allowedSources()} and how hard anyone may knock: digest authentication
     * ({@code auth} null: none), the per-source budgets for INVITEs and for failed authentications, the User-Agent
     * words of scanners (never answered), and the providers the gateway registers with.
     */
    public record SipAccess(Auth auth, int invitesPerSecond, int inviteBurst, int authFailuresPerMinute,
                            int authFailureBurst, List<String> scannerUserAgents, List<Registration> registrations) {
        public SipAccess {
            scannerUserAgents = List.copyOf(scannerUserAgents);
            registrations = List.copyOf(registrations);
        }
    }

    /**
     * Digest authentication of callers: the realm, the users file (read at start), the allowed sources that need no
     * password ({@code trustedSources} null: none), the algorithms offered in order (SHA-256, MD5), and how long a
     * nonce is good.
     */
    public record Auth(String realm, Path usersFile, SourceFilter trustedSources, List<String> algorithms,
                       int nonceLifetimeSeconds) {
        public Auth {
            algorithms = List.copyOf(algorithms);
        }
    }

    /**
     * One provider to register with: the registrar's host and port, the user registered (our address of record is
     * {@code sip:user@registrar}), the user and password for its challenges, the expiry asked for, and the transport
     * ({@code udp} or {@code tcp}). {@link #toString()} never prints the password.
     */
    public record Registration(String registrar, int port, String user, String authUser, String password,
                               int expiresSeconds, String transport) {
        @Override
        public String toString() {
            return "Registration[" + user + "@" + registrar + ":" + port + ", authUser=" + authUser
                    + ", password=set, expires=" + expiresSeconds + ", transport=" + transport + "]";
        }
    }


    /**
     * The Realtime service. {@code urlExplicit} tells whether the URL was configured rather than defaulted;
     * the API key is never printed by {@link #toString()}. The rest says how a call keeps its session: rollover
     * before {@code expires_at}, reconnect attempts and back-off, and the size of the context a new session gets.
     * {@code caFile} holds the CA certificates TLS trusts instead of the JDK's store; {@code null}: the JDK's.
     * {@code idleTimeoutMs}: a session silent this long (not even a pong) is dropped as lost. {@code resendMs}: the
     * caller audio kept as sent, to give a failed session's untaken input to the next one. {@code inputBatchMs}: the
     * caller's audio goes out in batches of this much (one send each), and waits no longer.
     */
    public record Realtime(URI url, String apiKey, boolean urlExplicit, int connectTimeoutMs, long rolloverMarginMs,
                           int reconnectAttempts, long reconnectBackoffMs, int contextMaxChars, Path caFile,
                           String audioFormat, int idleTimeoutMs, int resendMs, int inputBatchMs) {

        /** The values of {@code realtime.audio-format}: 24 kHz PCM, G.711 μ-law, G.711 A-law. */
        public static final List<String> AUDIO_FORMATS = List.of("pcm24k", "pcmu", "pcma");

        /** True when no key is set and no URL was chosen: the gateway then runs its demo agent. */
        public boolean useDemoAgent() {
            return apiKey.isEmpty() && !urlExplicit;
        }

        @Override
        public String toString() {
            return "Realtime[url=" + url + ", apiKey=" + (apiKey.isEmpty() ? "none" : "set")
                    + ", urlExplicit=" + urlExplicit + ", connectTimeoutMs=" + connectTimeoutMs
                    + ", rolloverMarginMs=" + rolloverMarginMs + ", reconnectAttempts=" + reconnectAttempts
                    + ", reconnectBackoffMs=" + reconnectBackoffMs + ", contextMaxChars=" + contextMaxChars
                    + ", caFile=" + (caFile == null ? "jdk" : caFile) + ", audioFormat=" + audioFormat
                    + ", idleTimeoutMs=" + idleTimeoutMs + ", resendMs=" + resendMs + ", inputBatchMs=" + inputBatchMs
                    + "]";
        }
    }

    /**
     * The agent: what it is told in session.update (instructions, voice, the caller's transcription, turn detection,
     * noise reduction, the longest reply), how it leads the conversation (a greeting, prompts to a silent caller) and
     * the tools it may use (end_call, webhook tools signed with {@code toolsSecret}, remote MCP servers). One record
     * that a routing profile can replace whole. {@link #toString()} never prints the secrets.
     *
     * @param transcriptionLanguage ISO-639-1 code, or null (detected)
     * @param transcriptionPrompt   text guiding the transcription, or null
     * @param noiseReduction        {@code near_field}, {@code far_field}, or null (none)
     * @param maxOutputTokens       1-4096, or null ({@code inf})
     * @param greeting              what the agent says first, or null (it waits for the caller)
     * @param silencePromptMs       silence before the agent prompts the caller; 0 = never
     * @param silenceMaxPrompts     prompts before the agent says goodbye and hangs up
     * @param toolsSecret           the key webhook requests are signed with; empty when there are no tools
     * @param dtmfToModel           whether the model is told the keys the caller presses
     * @param dtmfTool              whether the model may send keys (send_dtmf) on calls with telephone-event
     * @param contextHeaders        the INVITE's headers passed on (call.json, the instructions' template)
     * @param allowedSources        who may reach this agent beyond {@link Sip#allowedSources()}, or null (anyone)
     * @param earlyMedia            play the consent prompt as early media in a 183 before the answer
     */
    public record Agent(String instructions, String voice, String transcriptionModel, String transcriptionLanguage,
                        String transcriptionPrompt, TurnDetection turnDetection, String noiseReduction,
                        Integer maxOutputTokens, String greeting, int silencePromptMs, int silenceMaxPrompts,
                        boolean endCallTool, List<WebhookTool> tools, String toolsSecret,
                        List<McpServer> mcpServers, boolean dtmfToModel, boolean dtmfTool, List<String> contextHeaders,
                        SourceFilter allowedSources, Transfer transfer, boolean earlyMedia) {

        public Agent {
            transfer = transfer == null ? Transfer.NONE : transfer;
            tools = List.copyOf(tools);
            mcpServers = List.copyOf(mcpServers);
            contextHeaders = List.copyOf(contextHeaders);
        }

        @Override
        public String toString() {
            return "Agent[voice=" + voice + ", transcriptionModel=" + transcriptionModel + ", transcriptionLanguage="
                    + transcriptionLanguage + ", turnDetection=" + turnDetection + ", noiseReduction="
                    + noiseReduction + ", maxOutputTokens=" + maxOutputTokens + ", greeting="
                    + (greeting == null ? "none" : "set") + ", silencePromptMs=" + silencePromptMs
                    + ", silenceMaxPrompts=" + silenceMaxPrompts + ", endCallTool=" + endCallTool + ", tools="
                    + tools + ", toolsSecret=" + (toolsSecret.isEmpty() ? "none" : "set") + ", mcpServers="
                    + mcpServers + ", dtmfToModel=" + dtmfToModel + ", dtmfTool=" + dtmfTool + ", contextHeaders="
                    + contextHeaders + ", allowedSources=" + (allowedSources == null ? "sip" : allowedSources)
                    + ", transfer=" + transfer + ", earlyMedia=" + earlyMedia + "]";
        }
    }

    /**
     * Turn detection: {@code server_vad} with its threshold, prefix padding and silence duration, or
     * {@code semantic_vad} with its eagerness; a null field is the service's default.
     */
    public record TurnDetection(String type, Double threshold, Integer prefixPaddingMs, Integer silenceDurationMs,
                                String eagerness) {
        public static final String SERVER_VAD = "server_vad";
        public static final String SEMANTIC_VAD = "semantic_vad";
    }

    /**
     * Transfer to a human: where the model's transfer_call tool sends the caller by REFER ({@code target}, null =
     * no tool, and the named {@code destinations} it may choose from), which context goes with it, how long the
     * transfer may take, and where a call goes when no Realtime session can be opened ({@code fallback}, or null).
     *
     * @param xHeaders   put X-Call-Id and X-Transfer-Reason into Refer-To
     * @param userToUser put a User-to-User header (RFC 7433) into Refer-To
     */
    public record Transfer(String target, Map<String, String> destinations, boolean xHeaders, boolean userToUser,
                           int timeoutMs, String fallback) {

        /** No transfer tool and no fallback. */
        public static final Transfer NONE = new Transfer(null, Map.of(), true, false, 30_000, null);

        public Transfer {
            destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
        }
    }

    /**
     * A function the model may call, answered by an HTTPS (or HTTP) webhook: {@code parameters} is its JSON Schema
     * as JSON text; {@code headers} go with every request (their values are never printed).
     */
    public record WebhookTool(String name, String description, String parameters, URI url, int timeoutMs,
                              Map<String, String> headers) {

        public WebhookTool {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public String toString() {
            return "WebhookTool[name=" + name + ", url=" + url + ", timeoutMs=" + timeoutMs + ", headers="
                    + headers.keySet() + "]";
        }
    }

    /**
     * A remote MCP server the Realtime service calls for the model; {@code allowedTools} null allows all of its
     * tools; the headers' values and the authorization are never printed.
     */
    public record McpServer(String label, URI url, String description, List<String> allowedTools,
                            String requireApproval, Map<String, String> headers, String authorization) {

        public McpServer {
            allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public String toString() {
            return "McpServer[label=" + label + ", url=" + url + ", allowedTools=" + allowedTools
                    + ", requireApproval=" + requireApproval + ", headers=" + headers.keySet() + ", authorization="
                    + (authorization == null ? "none" : "set") + "]";
        }
    }

    /**
     * Where recordings go; the seconds of writer stall each call's buffer survives; the consent announcement played
     * first ({@code null}: none); whether the model may pause the recording through its tools; how long recordings
     * stay: {@code retentionDays} 0 keeps them forever; {@code keepLocal} false removes a call's audio and captions
     * from local disk once its upload is verified; {@code deadAirMs} is the silence on both sides the conversation
     * analytics count as dead air; below {@code minFreeBytes} free on its disk new calls are refused;
     * {@code redact} is what is masked in stored transcripts; {@code analyticsBackfillPerSecond} is how many calls
     * recorded before the analytics are measured a second in the background (0: none).
     */
    public record Recordings(Path dir, int bufferSeconds, Path consentPrompt, boolean pauseTool, int retentionDays,
                             long retentionSweepMs, boolean keepLocal, int deadAirMs, long minFreeBytes,
                             Redact redact, int analyticsBackfillPerSecond) {
        /** True when a retention period is set. */
        public boolean retains() {
            return retentionDays > 0;
        }
    }

    /** What is masked in stored transcripts and captions: card numbers, and each named pattern. */
    public record Redact(boolean cards, List<RedactPattern> patterns) {
        public Redact {
            patterns = List.copyOf(patterns);
        }
    }

    /** A configured redaction: its name (the mask says it) and the regex it masks. */
    public record RedactPattern(String name, Pattern regex) {
    }

    /** Server-side encryption of uploaded objects. */
    public enum Sse {
        NONE("none"), AES256("AES256"), KMS("aws:kms");

        private final String header;

        Sse(String header) {
            this.header = header;
        }

        /** The value of {@code x-amz-server-side-encryption} (and of the config key). */
        public String header() {
            return header;
        }
    }

    /**
     * Object storage for finished calls; {@link #enabled()} is false when no bucket is set. Empty {@code endpoint}
     * means AWS; empty keys mean the SDK's default credential chain; {@code indexRefreshSeconds} is how often the
     * call index lists the bucket (0: only at start). {@link #toString()} never prints the keys.
     */
    public record Storage(String bucket, URI endpoint, String region, String prefix, boolean pathStyle,
                          String accessKey, String secretKey, Sse sse, String kmsKeyId, long retryMinMs,
                          long retryMaxMs, int indexRefreshSeconds) {

        public boolean enabled() {
            return !bucket.isEmpty();
        }

        /** True when keys are configured rather than left to the default chain. */
        public boolean staticCredentials() {
            return !accessKey.isEmpty();
        }

        @Override
        public String toString() {
            return "Storage[bucket=" + bucket + ", endpoint=" + (endpoint == null ? "aws" : endpoint)
                    + ", region=" + region + ", prefix=" + prefix + ", pathStyle=" + pathStyle
                    + ", credentials=" + (staticCredentials() ? "set" : "default chain") + ", sse=" + sse.header()
                    + (kmsKeyId.isEmpty() ? "" : ", kmsKeyId=" + kmsKeyId) + ", retryMinMs=" + retryMinMs
                    + ", retryMaxMs=" + retryMaxMs + ", indexRefreshSeconds=" + indexRefreshSeconds + "]";
        }
    }

    /**
     * The HTTP listener (health, metrics, QA API). {@code tokens} are the named bearer tokens (with
     * {@code apiToken}, when set, as the admin token "api-token"); none means the API and metrics serve loopback
     * clients only; {@code shareKey} signs share links (empty = generated and kept with the recordings);
     * {@code auditRetentionDays} how long daily audit files are kept (0 = always); {@code scorecard} the review
     * form (no criteria: none). {@link #toString()} never prints a token, its digest or the key.
     */
    public record Http(String listen, int port, String apiToken, List<HttpToken> tokens, String shareKey,
                       int auditRetentionDays, Scorecard scorecard) {

        /** True when a bearer token is configured. */
        public boolean tokenRequired() {
            return !tokens.isEmpty();
        }

        @Override
        public String toString() {
            return "Http[listen=" + listen + ", port=" + port + ", apiToken=" + (apiToken.isEmpty() ? "none" : "set")
                    + ", tokens=" + tokens.stream().map(HttpToken::name).toList() + ", shareKey="
                    + (shareKey.isEmpty() ? "generated" : "set") + "]";
        }
    }

    /** The QA review form ({@code qa.scorecard}): a title and its criteria in order. */
    public record Scorecard(String title, List<Criterion> criteria) {
        public Scorecard {
            criteria = List.copyOf(criteria);
        }
    }

    /**
     * One scorecard question: its id (in review.json), label, kind ({@code pass_fail} or {@code scale_1_5}),
     * weight (positive), and whether a comment must come with its answer.
     */
    public record Criterion(String id, String label, String kind, double weight, boolean commentRequired) { }

    /** One QA API token: its name in audits, the hex SHA-256 of the token, and its role (viewer or admin). */
    public record HttpToken(String name, String sha256Hex, String role) {

        @Override
        public String toString() {
            return "HttpToken[name=" + name + ", role=" + role + "]";
        }
    }

    /**
     * Call events: where they are POSTed ({@code null}: nowhere, no events), the key that signs them (empty:
     * unsigned), the directory queueing them until delivered, and how many it keeps at most.
     * {@link #toString()} never prints the secret.
     */
    public record Events(URI webhookUrl, String secret, Path queueDir, int maxQueued) {

        /** True when call events are sent. */
        public boolean enabled() {
            return webhookUrl != null;
        }

        /** True when events are signed. */
        public boolean signed() {
            return !secret.isEmpty();
        }

        @Override
        public String toString() {
            return "Events[webhookUrl=" + webhookUrl + ", secret=" + (signed() ? "set" : "none") + ", queueDir="
                    + queueDir + ", maxQueued=" + maxQueued + "]";
        }
    }
}
