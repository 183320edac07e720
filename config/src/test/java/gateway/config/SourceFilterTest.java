package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceFilterTest {

    @Test
    void matchesCidrBlocksOfBothFamilies() throws Exception {
        SourceFilter f = SourceFilter.parse("10.0.0.0/8, 192.0.2.7, 198.51.100.128/25, 2001:db8::/32");
        assertTrue(f.allows(InetAddress.getByName("10.200.3.4")));
        assertTrue(f.allows(InetAddress.getByName("192.0.2.7")));
        assertFalse(f.allows(InetAddress.getByName("192.0.2.8")));
        assertTrue(f.allows(InetAddress.getByName("198.51.100.200")));
        assertFalse(f.allows(InetAddress.getByName("198.51.100.127")));
        assertTrue(f.allows(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(f.allows(InetAddress.getByName("2001:db9::5")));
        assertFalse(f.allows(InetAddress.getByName("127.0.0.1")));
        assertTrue(SourceFilter.ANY.allows(InetAddress.getByName("203.0.113.9")));
        assertTrue(SourceFilter.LOOPBACK.allows(InetAddress.getByName("127.0.0.1")));
        assertTrue(SourceFilter.LOOPBACK.allows(InetAddress.getByName("::1")));
        assertFalse(SourceFilter.LOOPBACK.allows(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void defaultIsOpenOnlyForTheFreeDemoAgent() throws Exception {
        assertEquals(SourceFilter.ANY, ConfigLoader.load(List.of(), Map.of()).sip().allowedSources());
        assertEquals(SourceFilter.LOOPBACK,
                ConfigLoader.load(List.of(), Map.of("OPENAI_API_KEY", "sk-x")).sip().allowedSources(),
                "a paid Realtime service with no allow-list takes calls from this machine only");
        assertEquals(SourceFilter.LOOPBACK,
                ConfigLoader.load(List.of("--realtime.url=ws://127.0.0.1:1/x"), Map.of()).sip().allowedSources());
        assertEquals("10.1.0.0/16", ConfigLoader.load(List.of("--sip.allowed-sources=10.1.0.0/16"),
                Map.of("OPENAI_API_KEY", "sk-x")).sip().allowedSources().toString());
    }

    @Test
    void badBlocksNameTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--sip.allowed-sources=10.0.0.0/40"), Map.of()));
        assertEquals("sip.allowed-sources", e.key());
        assertEquals("sip.allowed-sources: prefix length out of range in '10.0.0.0/40'", e.getMessage());
        assertEquals("sip.allowed-sources", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(List.of("--sip.allowed-sources=pbx.example.com"), Map.of())).key());
    }
}
