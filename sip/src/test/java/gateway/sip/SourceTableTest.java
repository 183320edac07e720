package gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-source table is bounded, and the source heard from least recently is the one that goes. */
class SourceTableTest {

    private static final RateLimit ONE = new RateLimit(1, 1);

    @Test
    void aSourceKeepsItsStateWhileItIsInTheTable() throws Exception {
        SourceTable table = new SourceTable(2, ONE, ONE);
        SourceTable.Source a = table.get(address(1));
        assertTrue(a.invites.take(0));
        assertSame(a, table.get(address(1)));
        assertFalse(table.get(address(1)).invites.take(0), "its bucket is still empty");
    }

    @Test
    void manyAddressesCostABoundedTableAndTheQuietestGoesFirst() throws Exception {
        SourceTable table = new SourceTable(3, ONE, ONE);
        SourceTable.Source trunk = table.get(address(1));
        for (int i = 2; i < 10_000; i++) {
            table.get(address(i));
            if (i % 2 == 0) {
                assertSame(trunk, table.get(address(1)), "a source heard often stays");
            }
            assertTrue(table.size() <= 3);
        }
        SourceTable.Source evicted = table.get(address(2));
        assertNotSame(null, evicted);
        assertEquals(3, table.size());
        assertTrue(evicted.invites.take(0), "a source evicted and heard again starts with a full bucket");
    }

    private static InetAddress address(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }
}
