package gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.bridge.call.AgentProfile;
import gateway.bridge.call.SipContext;
import gateway.config.ConfigLoader;
import gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routing of calls to profiles as configured: the first route whose match is the Request-URI user or the To user
 * wins; unknown numbers get the default profile or none (404); each profile is its agent's keys made a call's agent.
 */
class RoutingProfilesTest {

    private static final String ROUTES = "--routes=[{\"match\":\"1001\",\"profile\":\"sales\"},"
            + "{\"match\":\"+4930*\",\"profile\":\"support\"},{\"match\":\"+49301*\",\"profile\":\"sales\"}]";

    private static RoutingProfiles load(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--profiles.sales.voice=cedar",
                "--profiles.sales.instructions=Sales for {{header.X-Customer-Id}}, called {{to}} by {{from}}.",
                "--profiles.sales.context-headers=X-Customer-Id",
                "--profiles.sales.allowed-sources=10.0.0.0/8",
                "--profiles.support.greeting=Hello from support.", "--profiles.support.dtmf-to-model=false", ROUTES));
        args.addAll(List.of(flags));
        GatewayConfig config = ConfigLoader.load(args, Map.of());
        return RoutingProfiles.of(config, InstantSource.system());
    }

    private static String routed(RoutingProfiles profiles, String requestUser, String toUser) {
        return profiles.route(requestUser, toUser).map(AgentProfile::name).orElse("404");
    }

    @Test
    void theFirstRouteMatchingTheRequestUriUserOrTheToUserWins() throws Exception {
        try (RoutingProfiles profiles = load()) {
            assertEquals("sales", routed(profiles, "1001", "agent"));
            assertEquals("sales", routed(profiles, "gateway", "1001"), "the To user when the Request-URI's differs");
            assertEquals("support", routed(profiles, "+4930555", null));
            assertEquals("support", routed(profiles, "+4930123", null), "+4930* comes before +49301*: first wins");
            assertEquals("default", routed(profiles, "2002", "2002"), "no route: the default profile");
            assertEquals("default", routed(profiles, null, null));
        }
    }

    @Test
    void underRejectAnUnknownNumberGetsNoProfile() throws Exception {
        try (RoutingProfiles profiles = load("--routing.unknown=reject")) {
            assertEquals("404", routed(profiles, "2002", "2002"));
            assertEquals("sales", routed(profiles, "1001", null));
        }
    }

    @Test
    void eachProfileIsItsAgentKeysOverTheDefaultOnes() throws Exception {
        try (RoutingProfiles profiles = load()) {
            AgentProfile sales = profiles.route("1001", null).orElseThrow();
            assertEquals("cedar", sales.session().voice());
            assertEquals(List.of("X-Customer-Id"), sales.contextHeaders());
            assertTrue(sales.dtmfToModel());
            assertTrue(sales.admits(InetAddress.getByName("10.1.2.3")));
            assertFalse(sales.admits(InetAddress.getByName("127.0.0.1")), "sales takes 10/8 only");
            SipContext call = new SipContext("sip:alice@example.com", "sip:1001@gw",
                    Map.of("X-Customer-Id", List.of("C-42")));
            assertEquals("Sales for C-42, called sip:1001@gw by sip:alice@example.com.",
                    sales.forCall(call).session().instructions());
            AgentProfile support = profiles.route("+4930555", null).orElseThrow();
            assertEquals("marin", support.session().voice(), "the default voice");
            assertEquals("Hello from support.", support.greeting());
            assertFalse(support.dtmfToModel());
            assertTrue(support.admits(InetAddress.getByName("127.0.0.1")));
            assertEquals(List.of(), support.contextHeaders());
            assertEquals(support, support.forCall(call), "instructions without placeholders are the same for all");
            AgentProfile standard = profiles.route("2002", null).orElseThrow();
            assertNull(standard.greeting());
            assertEquals(List.of("default", "sales", "support"),
                    profiles.all().stream().map(AgentProfile::name).toList());
        }
    }

    @Test
    void theUserIsTakenFromSipSipsAndTelUris() {
        assertEquals("1001", RoutingProfiles.user("sip:1001@127.0.0.1:5060"));
        assertEquals("+4930123", RoutingProfiles.user("sips:+4930123;npdi@pbx.example;transport=tls"));
        assertEquals("alice", RoutingProfiles.user("sip:alice:secret@example.com"));
        assertEquals("+4930123", RoutingProfiles.user("tel:+4930123;phone-context=example.com"));
        assertNull(RoutingProfiles.user("sip:gateway.example.com"), "no user part");
        assertNull(RoutingProfiles.user("mailto:a@b"));
        assertNull(RoutingProfiles.user(null));
        assertNull(RoutingProfiles.user("nocolon"));
    }
}
