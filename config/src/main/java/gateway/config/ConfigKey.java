package gateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every configuration key, with its default and its help text. Flags, environment and file use these names. */
public enum ConfigKey {
    SIP_LISTEN("sip.listen", "0.0.0.0", "SIP bind address (UDP and TCP)"),
    SIP_PORT("sip.port", "5060", "SIP port for UDP and TCP (0 = any free port)"),
    SIP_PUBLIC_HOST("sip.public-host", "",
            "host put in Contact and SDP (default: the bind address, else the first non-loopback address)"),
    SIP_ALLOWED_SOURCES("sip.allowed-sources", "",
            "who may call: comma-separated CIDRs, or 'any' (default: any with the demo agent, loopback only with a real"
                    + " Realtime service, so no stranger can open a paid session); others get 403 before parsing"),
    SIP_AUTH_USERS("sip.auth.users", "",
            "file of user:password lines (or user:MD5:<HA1 hex>, user:SHA-256:<HA1 hex>); when set, callers from"
                    + " sip.allowed-sources must answer a digest challenge unless in sip.auth.trusted-sources;"
                    + " empty = no passwords"),
    SIP_AUTH_REALM("sip.auth.realm", "",
            "realm of the digest challenge (a pre-hashed HA1 is for this realm only); default: sip.public-host"),
    SIP_AUTH_TRUSTED_SOURCES("sip.auth.trusted-sources", "",
            "comma-separated CIDRs of allowed sources that call without a password (a carrier's SBCs); needs"
                    + " sip.auth.users"),
    SIP_AUTH_ALGORITHMS("sip.auth.algorithms", "SHA-256,MD5",
            "digest algorithms offered, most preferred first (one challenge each, RFC 8760): SHA-256, MD5"),
    SIP_AUTH_NONCE_LIFETIME_SECONDS("sip.auth.nonce-lifetime-seconds", "300",
            "how long a challenge's nonce is good; an older one gets a new challenge with stale=true (1-86400)"),
    SIP_RATE_LIMIT_INVITES_PER_SECOND("sip.rate-limit.invites-per-second", "50",
            "INVITEs one source address may send per second; more are dropped unanswered before parsing"),
    SIP_RATE_LIMIT_INVITE_BURST("sip.rate-limit.invite-burst", "100",
            "INVITEs one source may send at once beyond its rate (the bucket's depth)"),
    SIP_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE("sip.rate-limit.auth-failures-per-minute", "10",
            "failed digest authentications (wrong password, unknown user) one source may have per minute"),
    SIP_RATE_LIMIT_AUTH_FAILURE_BURST("sip.rate-limit.auth-failure-burst", "10",
            "failed authentications one source may have at once; past its budget its INVITEs are dropped"),
    SIP_SCANNER_USER_AGENTS("sip.scanner-user-agents",
            "friendly-scanner,sipvicious,sipcli,sip-scan,sundayddr,iwar,sivus,vaxsipuseragent",
            "comma-separated words: a request whose User-Agent holds one (any case) gets no answer at all;"
                    + " empty = none"),
    SIP_REGISTRATIONS("sip.registrations", "",
            "providers to REGISTER with: a list of {registrar: host[:port], user, auth-user, password, expires,"
                    + " transport: udp|tcp}; the registrar's INVITEs to the user come in as calls", true),
    SIP_MAX_CALLS("sip.max-calls", "500",
            "calls up at once; further INVITEs get 503 with Retry-After (also lowered to what the recorder's buffers"
                    + " fit in half the heap)"),
    SIP_ANSWER_DELAY_MS("sip.answer-delay-ms", "0",
            "let a call ring at least this long before the 200 OK (the 180 goes out at once); 0 = answer as soon as"
                    + " the agent is ready"),
    SIP_TLS_PORT("sip.tls.port", "0", "SIP over TLS port, e.g. 5061 (0 = no TLS listener)"),
    SIP_TLS_CERT("sip.tls.cert", "", "PEM file of the TLS certificate chain (server first) for sip.tls.port"),
    SIP_TLS_KEY("sip.tls.key", "", "PEM file of the certificate's private key (unencrypted PKCS#8); never logged"),
    SIP_TLS_CLIENT_CA("sip.tls.client-ca", "",
            "PEM file of the CA certificates TLS clients must present a certificate of (mutual TLS); empty = none"),
    SIP_PROXY_PROTOCOL_TRUSTED("sip.proxy-protocol.trusted", "",
            "comma-separated CIDRs of load balancers whose TCP/TLS connections may start with a PROXY protocol v1/v2"
                    + " header naming the caller (empty = PROXY protocol off)"),
    SIP_CONNECTIONS_MAX("sip.connections.max", "2048",
            "TCP and TLS connections callers may hold open at once, all sources together; more are closed as they are"
                    + " accepted (1-100000)"),
    SIP_CONNECTIONS_PER_SOURCE("sip.connections.per-source", "64",
            "TCP and TLS connections one source address may hold open at once (sip.proxy-protocol.trusted balancers"
                    + " count only towards sip.connections.max; 1-100000)"),
    SIP_CONNECTIONS_MESSAGE_TIMEOUT_SECONDS("sip.connections.message-timeout-seconds", "10",
            "a TCP/TLS connection must deliver a whole SIP message within this of its first byte, and its first"
                    + " message within this of connecting; else it is closed (1-300)"),
    RTP_PORT_MIN("rtp.port-min", "10000", "lowest RTP port (even)"),
    RTP_PORT_MAX("rtp.port-max", "20000", "highest RTP port"),
    RTP_PUBLIC_ADDRESS("rtp.public-address", "",
            "address our SDP c= gives for RTP when media leaves by another public address than SIP (default:"
                    + " sip.public-host)"),
    RTP_TIMEOUT_SECONDS("rtp.timeout-seconds", "30",
            "end a call (BYE, end_reason rtp_timeout) when the caller sends no RTP or RTCP for this long while not on"
                    + " hold (0 = never; 0-3600)"),
    RTP_SRTP("rtp.srtp", "offer",
            "SRTP with SDES keys: off, offer (when the caller offers it, and best effort in our own offers) or"
                    + " require (plain offers get 488)"),
    RTP_SRTP_OVER_PLAIN_SIP("rtp.srtp-over-plain-sip", "false",
            "allow SRTP keys in SDP over UDP/TCP signalling, where anyone on the path can read them (true/false)"),
    RTP_CODECS("rtp.codecs", "G722,PCMU,PCMA",
            "audio codecs offered and accepted, best first (comma-separated: G722, PCMU, PCMA); an answer takes the"
                    + " first of these the caller offers"),
    RTP_STRICT_SOURCE("rtp.strict-source", "true",
            "once the caller's first RTP packet has latched its address, hear only that source until a re-INVITE or"
                    + " UPDATE moves the media (the socket is connected to it); false hears RTP from any source all"
                    + " call long (true/false)"),
    RTP_REALTIME_PRIORITY("rtp.realtime-priority", "0",
            "real-time priority (SCHED_FIFO, 1-99) the media event loops ask the kernel for so that pacing waits for no"
                    + " other thread; 0 = normal scheduling (experimental, see README \"Threads\"). Granted on Linux"
                    + " with a Java 22+ runtime to a process with CAP_SYS_NICE or an RLIMIT_RTPRIO of at least this;"
                    + " otherwise the loops run at normal priority and the log says why (0-99)"),
    REALTIME_URL("realtime.url", "wss://api.openai.com/v1/realtime?model=gpt-realtime",
            "Realtime WebSocket URL (ws:// or wss://)"),
    REALTIME_API_KEY("realtime.api-key", "",
            "API key sent as Authorization: Bearer (default: env OPENAI_API_KEY); never logged"),
    REALTIME_CA_FILE("realtime.ca-file", "",
            "PEM file of the CA certificates to trust for a wss:// realtime.url instead of the JDK's trust store (a"
                    + " private CA, a TLS-inspecting proxy); empty = the JDK's trust store"),
    REALTIME_CONNECT_TIMEOUT_MS("realtime.connect-timeout-ms", "5000",
            "how long to wait for the Realtime session before rejecting a call (ms)"),
    REALTIME_IDLE_TIMEOUT_MS("realtime.idle-timeout-ms", "30000",
            "a Realtime session from which nothing arrives this long (ms; pinged after half of it) is dropped as lost"
                    + " and replaced like a dropped socket"),
    REALTIME_ROLLOVER_MARGIN_MS("realtime.rollover-margin-ms", "300000",
            "open the next Realtime session this long before the current one expires (sessions last 60 min)"),
    REALTIME_RECONNECT_ATTEMPTS("realtime.reconnect-attempts", "3",
            "new sessions tried when the Realtime session fails mid-call, before the call is ended (0 = none)"),
    REALTIME_RECONNECT_BACKOFF_MS("realtime.reconnect-backoff-ms", "250",
            "wait before the second reconnect attempt (ms); doubles for each further one"),
    REALTIME_CONTEXT_MAX_CHARS("realtime.context-max-chars", "8000",
            "how much of the conversation (text, most recent first) a new Realtime session is given"),
    REALTIME_RESEND_MS("realtime.resend-ms", "2000",
            "caller audio kept as sent (ms, 0-10000; 48 KB of heap a second per call): when a session fails, what it"
                    + " had not taken into a turn is given to the next one, at most this much"),
    REALTIME_INPUT_BATCH_MS("realtime.input-batch-ms", "40",
            "caller audio is sent to the model in batches of this much (ms, 20-200, a multiple of 20): each batch is"
                    + " one send on the socket instead of one per packet, and no audio waits longer than this; 20 sends"
                    + " each packet's audio as it arrives"),
    REALTIME_AUDIO_FORMAT("realtime.audio-format", "pcm24k",
            "audio to and from the model: pcm24k (PCM16 at 24 kHz), pcmu or pcma (G.711 at 8 kHz: the caller's own"
                    + " octets when its codec is that law, no resampling on the way); the recording stays 24 kHz"),
    AGENT_INSTRUCTIONS("agent.instructions",
            "You are a helpful, friendly voice assistant answering a phone call. Keep your answers short.",
            "instructions sent in session.update"),
    AGENT_VOICE("agent.voice", "marin", "assistant voice"),
    AGENT_TRANSCRIPTION_MODEL("agent.transcription-model", "gpt-4o-mini-transcribe",
            "model that transcribes the caller"),
    AGENT_TRANSCRIPTION_LANGUAGE("agent.transcription-language", "",
            "the caller's language as an ISO-639-1 code (e.g. en), for the transcription; empty = detected"),
    AGENT_TRANSCRIPTION_PROMPT("agent.transcription-prompt", "",
            "text that guides the caller's transcription (names, terms); empty = none"),
    AGENT_TURN_DETECTION("agent.turn-detection", "server_vad",
            "how the model finds the end of the caller's turn: server_vad (by loudness) or semantic_vad (by meaning)"),
    AGENT_VAD_THRESHOLD("agent.vad-threshold", "",
            "server_vad: how loud speech must be, 0.0-1.0; empty = the service's (0.5)"),
    AGENT_VAD_PREFIX_PADDING_MS("agent.vad-prefix-padding-ms", "",
            "server_vad: audio kept before detected speech (ms, 0-10000); empty = the service's (300)"),
    AGENT_VAD_SILENCE_DURATION_MS("agent.vad-silence-duration-ms", "",
            "server_vad: silence that ends the caller's turn (ms, 0-10000); empty = the service's"),
    AGENT_VAD_EAGERNESS("agent.vad-eagerness", "",
            "semantic_vad: low, medium, high or auto (how soon the model answers); empty = the service's (auto)"),
    AGENT_NOISE_REDUCTION("agent.noise-reduction", "none",
            "input noise reduction: none, near_field (handsets, headsets) or far_field (speakerphones)"),
    AGENT_MAX_OUTPUT_TOKENS("agent.max-output-tokens", "inf",
            "longest reply in tokens: 1-4096, or inf"),
    AGENT_GREETING("agent.greeting", "",
            "what the agent says first, right after the answer (after the consent prompt); empty = it waits for"
                    + " the caller"),
    AGENT_SILENCE_PROMPT_MS("agent.silence-prompt-ms", "0",
            "after this long without caller speech and with nothing playing, the agent asks whether the caller is"
                    + " still there (ms, 1000-600000; 0 = never)"),
    AGENT_SILENCE_MAX_PROMPTS("agent.silence-max-prompts", "2",
            "prompts a silent caller gets before the agent says goodbye and hangs up (end_reason caller_silent),"
                    + " 0-10"),
    AGENT_END_CALL_TOOL("agent.end-call-tool", "true",
            "offer the model the end_call tool: its goodbye plays out, then the gateway hangs up (true or false)"),
    AGENT_TOOLS("agent.tools", "",
            "functions the model may call, answered by a webhook: a list of {name, description, parameters (JSON"
                    + " Schema), url, timeout-ms, headers}; see README", true),
    AGENT_TOOLS_SECRET("agent.tools-secret", "",
            "HMAC-SHA256 key that signs every tool webhook request (16+ characters; needed with agent.tools);"
                    + " never logged"),
    AGENT_MCP_SERVERS("agent.mcp-servers", "",
            "remote MCP servers the Realtime service calls for the model: a list of {label, url, description,"
                    + " allowed-tools, require-approval, headers, authorization}; see README", true),
    AGENT_DTMF_TO_MODEL("agent.dtmf-to-model", "true",
            "tell the model each key the caller presses (\"The caller pressed 5.\") and ask it to reply: true or"
                    + " false; call.json lists the keys either way"),
    AGENT_DTMF_TOOL("agent.dtmf-tool", "true",
            "offer the model the send_dtmf tool (keys sent to the caller's side as RFC 4733 events) on calls that"
                    + " negotiated telephone-event: true or false"),
    AGENT_TRANSFER_TARGET("agent.transfer-target", "",
            "SIP URI the model's transfer_call tool sends the caller to by REFER (e.g. sip:queue@pbx.example);"
                    + " empty = no transfer_call tool"),
    AGENT_TRANSFER_DESTINATIONS("agent.transfer-destinations", "",
            "named SIP URIs transfer_call may choose from besides agent.transfer-target: a mapping of name to URI"
                    + " (e.g. {sales: sip:sales@pbx.example})", true),
    AGENT_TRANSFER_HEADERS("agent.transfer-headers", "x-headers",
            "context put into Refer-To for the transferee's INVITE: x-headers (X-Call-Id, X-Transfer-Reason),"
                    + " user-to-user (RFC 7433), both (x-headers,user-to-user) or none"),
    AGENT_TRANSFER_TIMEOUT_MS("agent.transfer-timeout-ms", "30000",
            "longest wait for the transfer's final NOTIFY after the REFER (ms, 1000-300000); then it has failed"),
    AGENT_FALLBACK_TRANSFER("agent.fallback-transfer", "",
            "SIP URI a call goes to when its Realtime session cannot be opened: 302 before the answer, REFER"
                    + " after; empty = 503 / BYE as usual"),
    AGENT_CONTEXT_HEADERS("agent.context-headers", "",
            "SIP headers of the INVITE passed on: copied into call.json (sip_headers) and offered to the instructions"
                    + " as {{header.Name}}; comma-separated names (e.g. P-Asserted-Identity, X-Customer-Id); no other"
                    + " header is passed"),
    AGENT_ALLOWED_SOURCES("agent.allowed-sources", "",
            "who may reach this agent (a routing profile): comma-separated CIDRs, or 'any'; empty = every source"
                    + " sip.allowed-sources lets in; others get 403"),
    AGENT_EARLY_MEDIA("agent.early-media", "off",
            "audio before the answer: off (180, then the 200) or consent (183 Session Progress with the SDP answer,"
                    + " reliable with 100rel, plays recordings.consent-prompt as early media (RFC 3960), then the 200"
                    + " with the same SDP; the Realtime session opens only then; needs recordings.consent-prompt)"),
    ROUTES("routes", "",
            "which routing profile a call gets: a list of {match, profile}; match is the Request-URI user or the To"
                    + " user, exact or a prefix ending in *; the first match wins; profile 'default' is agent.*",
            true),
    ROUTING_UNKNOWN("routing.unknown", "default",
            "a call no route matches: default (gets the agent.* profile) or reject (404 Not Found)"),
    RECORDINGS_DIR("recordings.dir", "./recordings", "directory where calls are recorded"),
    RECORDINGS_BUFFER_SECONDS("recordings.buffer-seconds", "5",
            "seconds of writer stall (slow disk, starved writer thread) every call survives without losing audio;"
                    + " each second costs up to 96 KB of heap per call, taken only while audio waits (2-60)"),
    RECORDINGS_DEAD_AIR_MS("recordings.dead-air-ms", "3000",
            "silence on both sides the conversation analytics count as dead air (ms, 1000-60000)"),
    RECORDINGS_ANALYTICS_BACKFILL_PER_SECOND("recordings.analytics-backfill-per-second", "2",
            "calls recorded before the conversation analytics whose audio.wav is measured in the background once the"
                    + " call index is built, at most this many a second (0 = never; 0-1000)"),
    RECORDINGS_MIN_FREE_MB("recordings.min-free-mb", "256",
            "new calls get 503 (and /health/ready says so) while the recordings disk has less than this many MB free"
                    + " (a call records about 6 MB a minute); 0 = only when under 1 MB"),
    RECORDINGS_CONSENT_PROMPT("recordings.consent-prompt", "",
            "WAV (PCM16 mono, 8 or 24 kHz) played to every caller before the agent speaks,"
                    + " e.g. 'this call is recorded'"),
    RECORDINGS_PAUSE_TOOL("recordings.pause-tool", "true",
            "offer the model pause_recording/resume_recording tools (for card numbers): true or false"),
    RECORDINGS_REDACT_CARDS("recordings.redact.cards", "true",
            "mask card numbers (13-19 digits with a valid Luhn check digit, written or spoken) in stored transcripts,"
                    + " captions and live captions: true or false"),
    RECORDINGS_REDACT_PATTERNS("recordings.redact.patterns", "",
            "more things to mask in transcripts: a list of {name, regex} (Java regex); a match becomes"
                    + " [redacted:<name>]", true),
    RECORDINGS_RETENTION_DAYS("recordings.retention-days", "0",
            "delete calls that started more than this many days ago, locally and in storage (0 = keep forever)"),
    RECORDINGS_RETENTION_SWEEP_MS("recordings.retention-sweep-ms", "86400000",
            "time between retention sweeps (ms); the first sweep after start only logs what it would delete"),
    RECORDINGS_KEEP_LOCAL("recordings.keep-local", "true",
            "keep audio and captions on local disk after a verified upload (false needs storage.s3.bucket)"),
    STORAGE_S3_BUCKET("storage.s3.bucket", "", "bucket finished calls are uploaded to (empty = no object storage)"),
    STORAGE_S3_ENDPOINT("storage.s3.endpoint", "",
            "http(s) URL of an S3-compatible server (empty = AWS's endpoint for the region)"),
    STORAGE_S3_REGION("storage.s3.region", "us-east-1", "region the requests are signed for"),
    STORAGE_S3_PREFIX("storage.s3.prefix", "", "key prefix: objects are <prefix><call id>/<file>"),
    STORAGE_S3_PATH_STYLE("storage.s3.path-style", "false",
            "address the bucket in the path (most S3-compatible servers) instead of the host name"),
    STORAGE_S3_ACCESS_KEY("storage.s3.access-key", "",
            "access key id (with storage.s3.secret-key; empty = the SDK's default chain: AWS_ACCESS_KEY_ID, profile,"
                    + " instance role); never logged"),
    STORAGE_S3_SECRET_KEY("storage.s3.secret-key", "", "secret access key; never logged"),
    STORAGE_S3_SSE("storage.s3.sse", "none", "server-side encryption: none, AES256 or aws:kms"),
    STORAGE_S3_SSE_KMS_KEY_ID("storage.s3.sse-kms-key-id", "",
            "KMS key for storage.s3.sse=aws:kms (empty = the bucket's default key)"),
    STORAGE_RETRY_MIN_MS("storage.retry-min-ms", "1000", "wait before the first retry of a failed upload (ms)"),
    STORAGE_RETRY_MAX_MS("storage.retry-max-ms", "300000",
            "longest wait between upload retries (ms); the wait doubles up to it, with jitter"),
    STORAGE_S3_INDEX_REFRESH_SECONDS("storage.s3.index-refresh-seconds", "30",
            "how often the call index lists the bucket for calls other gateways uploaded, changed or deleted"
                    + " (seconds, 0-86400; 0 = only at start)"),
    QA_ONLY("qa.only", "false",
            "true (flag --qa-only): serve only the QA API and page over the bucket's calls (and recordings.dir's):"
                    + " no SIP, no RTP, no Realtime connection, no uploads; needs storage.s3.bucket or an existing"
                    + " recordings.dir"),
    EVENTS_WEBHOOK_URL("events.webhook-url", "",
            "http(s) URL the gateway POSTs call events to (call.started, call.answered, call.transferred, call.ended),"
                    + " queued on disk and retried until delivered; empty = no call events"),
    EVENTS_SECRET("events.secret", "",
            "HMAC-SHA256 key that signs every call event as tool webhooks are signed (16+ characters; empty ="
                    + " unsigned); never logged"),
    EVENTS_QUEUE_DIR("events.queue-dir", "",
            "directory of the call events not yet delivered, one fsync'd file each"
                    + " (default: <recordings.dir>/.events)"),
    EVENTS_MAX_QUEUED("events.max-queued", "10000",
            "call events kept on disk while the receiver is down; past it the oldest is dropped and counted"
                    + " (100-1000000)"),
    HTTP_LISTEN("http.listen", "127.0.0.1",
            "bind address of /health, /metrics, the QA API /api/calls and the QA page /"),
    HTTP_PORT("http.port", "8080", "port of /health, /metrics, /api/calls and the QA page (0 = any free port)"),
    HTTP_API_TOKEN("http.api-token", "",
            "bearer token required for /api/* and /metrics (16+ characters of A-Z a-z 0-9 - . _ ~ + /);"
                    + " empty = those serve loopback clients only; never logged; acts as an admin token named"
                    + " api-token"),
    HTTP_TOKENS("http.tokens", "",
            "named QA API tokens: a list of {name, token or token-sha256 (hex), role: viewer|admin}; viewer may list,"
                    + " listen, download, review; admin also deletes, pauses, holds, shares, exports, controls live"
                    + " calls, reads the audit; any token set = the API serves other machines; tokens never logged",
            true),
    HTTP_SHARE_KEY("http.share-key", "",
            "HMAC-SHA256 key signing share links (16+ characters); empty = a random key made once and kept in"
                    + " <recordings.dir>/.shares/share.key (owner-only); changing it voids every link; never logged"),
    HTTP_AUDIT_RETENTION_DAYS("http.audit-retention-days", "0",
            "delete the QA API's daily audit files older than this many days (0 = keep them all; 0-36500)"),
    QA_SCORECARD("qa.scorecard", "",
            "the review form of the QA page: {title, criteria: [{id, label, kind: pass_fail|scale_1_5, weight,"
                    + " comment-required}]}; empty = no scorecard (notes only)", true),
    SHUTDOWN_DRAIN_SECONDS("shutdown.drain-seconds", "3600",
            "on SIGTERM: new INVITEs get 503 and /health/ready says draining while the calls up run on for at most"
                    + " this long; then the agent says shutdown.goodbye on each call left and hangs up (end_reason"
                    + " shutdown); a second SIGTERM starts that at once, a third ends the calls without it"),
    SHUTDOWN_GOODBYE("shutdown.goodbye", "We have to end this call now. Goodbye.",
            "what the agent says on each call still up when a drain ends, before the BYE; empty = BYE at once"),
    SHUTDOWN_GOODBYE_MAX_MS("shutdown.goodbye-max-ms", "8000",
            "the longest a drain's goodbye may take per call (100-60000); the BYE goes then even if it is not over"),
    LOG_FORMAT("log.format", "text",
            "log lines as 'text' (time level logger [call id SIP Call-ID]: message) or 'json' (one object per line)"),
    LOG_LEVEL("log.level", "INFO", "least level logged: ERROR, WARN, INFO, DEBUG or TRACE"),
    LOG_REPEAT_LIMIT("log.repeat-limit", "20",
            "lines of one logger and message (digits aside) let through per 10 s; the rest are counted in one line"
                    + " (0 = no limit)");

    private final String key;
    private final String defaultValue;
    private final String help;
    private final boolean structured;

    ConfigKey(String key, String defaultValue, String help) {
        this(key, defaultValue, help, false);
    }

    ConfigKey(String key, String defaultValue, String help, boolean structured) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
        this.structured = structured;
    }

    /** The dotted name, as in the YAML file and in {@code --key=value} flags. */
    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /**
     * True for a key whose value is a list or a mapping (e.g. a list of tools): written as YAML under the key in the
     * file, as JSON text in a flag or an environment variable; {@link ConfigLoader#structured} reads it.
     */
    public boolean structured() {
        return structured;
    }

    /**
     * True for a key whose value is a secret or may hold one (a registration's password): {@code --print-config}
     * masks it and nothing logs it.
     */
    public boolean secret() {
        return switch (this) {
            case REALTIME_API_KEY, AGENT_TOOLS_SECRET, STORAGE_S3_ACCESS_KEY, STORAGE_S3_SECRET_KEY, EVENTS_SECRET,
                 HTTP_API_TOKEN, SIP_REGISTRATIONS -> true;
            default -> false;
        };
    }

    /** The environment variable: {@code GATEWAY_} + upper case, with {@code .} and {@code -} turned into {@code _}. */
    public String envName() {
        return "GATEWAY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Looks a key up by its dotted name. */
    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
