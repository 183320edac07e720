package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static String b64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPositionSurvivesTheRoundTripAndIdsWithDotsStayWhole() {
        ListPosition p = new ListPosition(1_796_061_662_345L, "20261130T180102Z-9f3a1c2e.v2");
        String cursor = Cursor.encode(p);
        assertEquals(b64("1.1796061662345.20261130T180102Z-9f3a1c2e.v2"), cursor);
        assertEquals(Optional.of(p), Cursor.decode(cursor));
    }

    @Test
    void aSortedListsCursorCarriesTheFigureAndIsNoPlainCursor() {
        ListPosition p = new ListPosition(1_796_061_662_345L, "20261130T180102Z-9f3a1c2e.v2");
        String cursor = Cursor.encodeSorted(-1, p);
        assertEquals(b64("2.-1.1796061662345.20261130T180102Z-9f3a1c2e.v2"), cursor);
        assertEquals(Optional.of(new Cursor.Sorted(-1, p)), Cursor.decodeSorted(cursor));
        assertTrue(Cursor.decode(cursor).isEmpty());
        assertTrue(Cursor.decodeSorted(Cursor.encode(p)).isEmpty());
        assertTrue(Cursor.decodeSorted(b64("2.x.1796061662345.abc")).isEmpty(), "figure not a number");
    }

    @Test
    void anythingElseIsNotACursor() {
        assertTrue(Cursor.decode("").isEmpty());
        assertTrue(Cursor.decode("not base64 !").isEmpty());
        assertTrue(Cursor.decode(b64("2.1796061662345.abc")).isEmpty(), "unknown version");
        assertTrue(Cursor.decode(b64("1.17x.abc")).isEmpty(), "time not a number");
        assertTrue(Cursor.decode(b64("1.1796061662345.../x")).isEmpty(), "id not an id");
        assertTrue(Cursor.decode(b64("1.1796061662345")).isEmpty(), "no id");
        assertTrue(Cursor.decode("A".repeat(Cursor.MAX_LENGTH + 1)).isEmpty(), "too long");
    }
}
