package gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.library.CallId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Share links: a read-only bearer credential for one call that expires, made by an admin. A link's token is
 * {@code s1~<share id>~<call id>~<expiry, epoch seconds>~<HMAC-SHA256 of what precedes, base64url>} ('~' occurs in
 * no id and is allowed in a Bearer token, RFC 6750 §2.1), so it is checked without a lookup; what is stored is the
 * ledger in {@code <dir>/shares.jsonl}: one line per link created and per link revoked, appended and forced to
 * disk, read back at start. The HMAC key is {@code http.share-key} or, when that is empty, 32 random bytes made
 * once and kept in {@code <dir>/share.key} (owner read/write only).
 *
 * <p>Threading: {@link #verify} is cheap and runs on the event loop; {@link #create} and {@link #revoke} write the
 * ledger and run on an I/O thread.
 */
final class ShareLinks {

    private static final System.Logger LOG = System.getLogger(ShareLinks.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String PREFIX = "s1~";
    static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
    static final Duration MAX_EXPIRY = Duration.ofDays(90);
    private static final String HMAC = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private static final int ID_BYTES = 9;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One link: its id, the call it opens, when it expires, who made it and when. */
    record Share(String id, String call, Instant expiresAt, String by, Instant createdAt) {
    }

    private final Path dir;
    private final SecretKeySpec key;
    private final InstantSource clock;
    private final Map<String, Share> shares = new ConcurrentHashMap<>();
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    private ShareLinks(Path dir, byte[] key, InstantSource clock) {
        this.dir = dir;
        this.key = new SecretKeySpec(key, HMAC);
        this.clock = clock;
    }

    /**
     * The links of {@code dir}, signed with {@code configuredKey} or, when it is empty, the key kept in the
     * directory (made now if there is none). Reads the ledger; blocks on the disk.
     */
    static ShareLinks open(Path dir, String configuredKey, InstantSource clock) throws IOException {
        byte[] key = configuredKey.isEmpty() ? storedKey(dir) : configuredKey.getBytes(StandardCharsets.UTF_8);
        ShareLinks links = new ShareLinks(dir, key, clock);
        links.load();
        return links;
    }

    /** Makes a link to {@code call} that expires after {@code expiresIn}; returns it and its token. I/O thread. */
    Created create(CallId call, Duration expiresIn, String by) throws IOException {
        byte[] raw = new byte[ID_BYTES];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        Share share = new Share(id, call.value(), now.plus(expiresIn).truncatedTo(ChronoUnit.SECONDS), by, now);
        ObjectNode line = MAPPER.createObjectNode().put("event", "created").put("id", id).put("call", share.call())
                .put("expires_at", share.expiresAt().toString()).put("by", by).put("at", now.toString());
        append(line);
        shares.put(id, share);
        return new Created(share, token(share));
    }

    /** A link made by {@link #create} and its token (shown once, to its maker). */
    record Created(Share share, String token) {
    }

    /** Revokes link {@code id}; false when there is no such link. I/O thread. */
    boolean revoke(String id, String by) throws IOException {
        if (!shares.containsKey(id)) {
            return false;
        }
        Instant now = clock.instant();
        append(MAPPER.createObjectNode().put("event", "revoked").put("id", id).put("by", by)
                .put("at", now.toString()));
        revoked.putIfAbsent(id, now);
        return true;
    }

    /** The links that still open their call (neither revoked nor expired), oldest first. */
    List<Share> active() {
        Instant now = clock.instant();
        return shares.values().stream()
                .filter(s -> !revoked.containsKey(s.id()) && now.isBefore(s.expiresAt()))
                .sorted(Comparator.comparing(Share::createdAt).thenComparing(Share::id))
                .toList();
    }

    /** The link {@code token} opens: signed with this key, known, not revoked, not expired; else empty. */
    Optional<Share> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sig = token.lastIndexOf('~');
        String signed = token.substring(0, sig);
        String[] parts = signed.split("~", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(token.substring(sig + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(presented, mac(signed))) {
            return Optional.empty();
        }
        Share share = shares.get(parts[1]);
        if (share == null || !share.call().equals(parts[2]) || revoked.containsKey(share.id())
                || !String.valueOf(share.expiresAt().getEpochSecond()).equals(parts[3])
                || !clock.instant().isBefore(share.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(share);
    }

    private String token(Share share) {
        String signed = PREFIX + share.id() + "~" + share.call() + "~" + share.expiresAt().getEpochSecond();
        return signed + "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(signed));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + HMAC, e);
        }
    }

    private synchronized void append(ObjectNode line) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel out = FileChannel.open(dir.resolve("shares.jsonl"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        }
    }

    private void load() throws IOException {
        Path ledger = dir.resolve("shares.jsonl");
        if (!Files.exists(ledger)) {
            return;
        }
        for (String text : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
            try {
                JsonNode line = MAPPER.readTree(text);
                String id = line.path("id").asText();
                switch (line.path("event").asText()) {
                    case "created" -> shares.put(id, new Share(id, line.path("call").asText(),
                            Instant.parse(line.path("expires_at").asText()), line.path("by").asText(),
                            Instant.parse(line.path("at").asText())));
                    case "revoked" -> revoked.putIfAbsent(id, Instant.parse(line.path("at").asText()));
                    default -> LOG.log(Level.WARNING, "shares.jsonl: unknown event skipped");
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "shares.jsonl: unreadable line skipped: {0}", e.toString());
            }
        }
    }

    /** The generated key in {@code dir/share.key}, made (owner-only) when absent. */
    private static byte[] storedKey(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("share.key");
        if (!Files.exists(file)) {
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            try {
                Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))), HexFormat.of().formatHex(key) + "\n");
            } catch (FileAlreadyExistsException raced) {
                LOG.log(Level.DEBUG, "share.key was made meanwhile");
            }
        }
        return HexFormat.of().parseHex(Files.readString(file).strip());
    }
}
