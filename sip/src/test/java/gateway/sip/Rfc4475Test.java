package gateway.sip;

import static gateway.sip.UdpHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RFC 4475 torture message through the UDP path, checked against MANIFEST.txt. "drop" means no response.
 * Final statuses only (a 100 Trying before them is skipped). Where jain-sip and our checks cannot give the RFC's
 * answer the expectation says so in its note.
 */
class Rfc4475Test {

    private record Case(String file, String expected, String note) {
    }

    private static final List<Case> CASES = List.of(
            // 3.1.1 valid: the parser must accept them.
            new Case("wsinv", "481", "parsed fine; its To has a tag, so it is an INVITE for a dialog we do not know"),
            new Case("intmeth", "501", "unknown method"),
            new Case("esc01", "none", "valid INVITE reaches onInvite"),
            new Case("escnull", "501", "REGISTER is not implemented"),
            new Case("esc02", "501", "RFC: UAS answers 501"),
            new Case("lwsdisp", "200", "OPTIONS"),
            new Case("longreq", "none", "valid INVITE reaches onInvite"),
            new Case("dblreq", "501", "REGISTER; octets after Content-Length ignored"),
            new Case("semiuri", "200", "OPTIONS"),
            new Case("transports", "200", "OPTIONS"),
            new Case("mpart01", "501", "MESSAGE is not implemented"),
            new Case("unreason", "drop", "response matching nothing"),
            new Case("noreason", "drop", "response matching nothing"),
            // 3.1.2 invalid: 400 unless noted.
            new Case("badinv01", "400", "broken Via/Contact"),
            new Case("clerr", "400", "Content-Length larger than the datagram"),
            new Case("ncl", "400", "negative Content-Length"),
            new Case("scalar02", "400", "CSeq overflow"),
            new Case("scalarlg", "drop", "response: discard"),
            new Case("quotbal", "400", "unterminated quote in To"),
            new Case("ltgtruri", "400", "<> around Request-URI"),
            new Case("lwsruri", "400", "LWS in Request-URI"),
            new Case("lwsstart", "400", "extra SP in Request-Line"),
            new Case("trws", "400", "trailing SP in Request-Line"),
            new Case("escruri", "400", "headers in Request-URI"),
            new Case("baddate", "none", "RFC allows accepting and ignoring the bad Date"),
            new Case("regbadct", "400", "unbracketed Contact with headers"),
            new Case("badaspec", "200", "DEVIATION: jain-sip accepts SP inside <> of To; RFC wants 400"),
            new Case("baddn", "200",
                    "DEVIATION: jain-sip accepts an unquoted display name with a comma; RFC wants 400"),
            new Case("badvers", "505", "SIP/7.0"),
            new Case("mismatch01", "400", "CSeq method differs from Request-Line"),
            new Case("mismatch02", "501", "unknown method wins over the mismatch"),
            new Case("bigcode", "drop", "response: discard"),
            // 3.2 transaction layer.
            new Case("badbranch", "200", "RFC 2543 fallback matching for a bare magic cookie"),
            // 3.3 application layer.
            new Case("insuf", "drop", "DEVIATION: no Call-ID/From/To, so no 400 can be built (RFC asks 400); dropped"),
            new Case("unkscm", "416", "unknown URI scheme"),
            new Case("novelsc", "416", "unsupported URI scheme"),
            new Case("unksm2", "501", "accepted by the parser; REGISTER not implemented"),
            new Case("bext01", "420", "Require: nothing we support"),
            new Case("invut", "415", "body type not SDP"),
            new Case("regaut01", "501", "DEVIATION-free: RFC allows ignoring; REGISTER is not implemented"),
            new Case("multi01", "400", "duplicate To/From/Call-ID/CSeq"),
            new Case("mcl01", "400", "duplicate Content-Length"),
            new Case("bcast", "drop", "response: drop"),
            new Case("zeromf", "200", "UAS answers with Max-Forwards 0"),
            new Case("cparam01", "501", "REGISTER not implemented"),
            new Case("cparam02", "501", "REGISTER not implemented"),
            new Case("regescrt", "501", "accepted by the parser; REGISTER not implemented"),
            new Case("sdp01", "406", "Accept rules out application/sdp"),
            // 3.4 backward compatibility.
            new Case("inv2543", "none",
                    "accepted; no Content-Length, so its SDP runs to the end of the datagram (§18.3)"));

    static Stream<Arguments> cases() {
        return CASES.stream().map(c -> Arguments.of(c.file(), c.expected(), c.note()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void tortureMessage(String file, String expected, String note) throws IOException {
        byte[] message;
        try (InputStream in = Rfc4475Test.class.getResourceAsStream("/rfc4475/" + file + ".dat")) {
            message = in.readAllBytes();
        }
        try (UdpHarness sip = new UdpHarness()) {
            sip.send(message, UdpHarness.CALLER);
            List<String> finals = new ArrayList<>();
            boolean trying = false;
            DatagramPacket packet;
            while ((packet = sip.channel.readOutbound()) != null) {
                String text = packet.content().toString(StandardCharsets.UTF_8);
                packet.release();
                if (status(text) == 100) {
                    trying = true;
                } else {
                    finals.add(text);
                }
            }
            switch (expected) {
                case "drop" -> assertEquals(List.of(), finals, note);
                case "none" -> {
                    assertTrue(trying, note + ": expected 100 Trying");
                    assertEquals(List.of(), finals, note);
                    assertEquals(1, sip.calls.size(), note);
                }
                default -> {
                    assertEquals(1, finals.size(), note + ": " + finals);
                    assertEquals(Integer.parseInt(expected), status(finals.get(0)), note + ": " + finals.get(0));
                }
            }
            sip.send(SipTestMessages.options("z9hG4bK-after-" + file));
            assertEquals(200, status(sip.next()), "still serving after " + file);
        }
    }

}
