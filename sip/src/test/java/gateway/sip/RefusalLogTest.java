package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals are summarised per source and interval: one line at once, then a few lines per interval at most. */
class RefusalLogTest {

    private static final RateLimit ONE = new RateLimit(1, 1);
    private final RefusalLog log = new RefusalLog(System.getLogger("test"), 10);
    private final SourceTable table = new SourceTable(10_000, ONE, ONE);

    @Test
    void theFirstRefusalIsALineAtOnceTheRestASummary() throws Exception {
        SourceTable.Source flood = table.get(InetAddress.getByName("127.0.0.2"));
        assertEquals("refused a request from 127.0.0.2 (rate limit); further refusals are summarised every 10 s",
                log.refused(flood, Refusal.RATE_LIMITED));
        for (int i = 1; i < 182_340; i++) {
            assertNull(log.refused(flood, Refusal.RATE_LIMITED));
        }
        assertEquals(List.of("refused 182,340 requests from 127.0.0.2 in the last 10 s (rate limit)"), log.summary());
        assertNull(log.refused(flood, Refusal.SOURCE), "not quiet yet: the last interval had refusals");
        log.refused(flood, Refusal.SOURCE);
        log.refused(flood, Refusal.RATE_LIMITED);
        assertEquals(List.of("refused 3 requests from 127.0.0.2 in the last 10 s (source not allowed: 2,"
                + " rate limit: 1)"), log.summary());
        assertEquals(List.of(), log.summary(), "a quiet interval logs nothing");
        assertEquals("refused a request from 127.0.0.2 (scanner); further refusals are summarised every 10 s",
                log.refused(flood, Refusal.SCANNER), "after a quiet interval the next refusal is a line again");
    }

    @Test
    void aFloodFromManyAddressesIsAFewLines() throws Exception {
        for (int i = 0; i < 5000; i++) {
            SourceTable.Source source = table.get(InetAddress.getByAddress(
                    new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i}));
            for (int k = 0; k <= i % 7; k++) {
                log.refused(source, Refusal.SOURCE);
            }
        }
        List<String> lines = log.summary();
        assertEquals(RefusalLog.SOURCES_PER_SUMMARY + 1, lines.size(), String.join("\n", lines));
        assertEquals("refused 7 requests from 198.51.0.6 in the last 10 s (source not allowed)", lines.get(0));
        assertEquals(true, lines.get(lines.size() - 1).startsWith("refused "), lines.get(lines.size() - 1));
        assertEquals(true, lines.get(lines.size() - 1).contains("from more than 1,019 other sources"),
                lines.get(lines.size() - 1));
        long total = 0;
        for (String line : lines) {
            total += Long.parseLong(line.split(" ")[1].replace(",", ""));
        }
        long expected = 0;
        for (int i = 0; i < 5000; i++) {
            expected += i % 7 + 1;
        }
        assertEquals(expected, total, "every refusal is counted in some line");
    }
}
