package gateway.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TranscriptRedactorTest {

    private static final TranscriptRedactor.NamedPattern SSN =
            new TranscriptRedactor.NamedPattern("ssn", Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"));
    private static final TranscriptRedactor.NamedPattern EMAIL =
            new TranscriptRedactor.NamedPattern("email", Pattern.compile("[\\w.]+@\\w+(\\.\\w+)+"));

    @Test
    void masksSitWhereTheResultSaysInTheNewText() {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of(SSN, EMAIL));
        TranscriptRedactor.Result r = redactor.redact(
                "Card 4111 1111 1111 1111, SSN 123-45-6789, mail a.b@example.com.", true);
        assertEquals("Card [redacted:card], SSN [redacted:ssn], mail [redacted:email].", r.text());
        assertEquals(List.of(new TranscriptRedactor.Mask("card", 5, 20), new TranscriptRedactor.Mask("ssn", 26, 40),
                new TranscriptRedactor.Mask("email", 47, 63)), r.masks());
        for (TranscriptRedactor.Mask mask : r.masks()) {
            assertEquals(TranscriptRedactor.mask(mask.kind()), r.text().substring(mask.start(), mask.end()));
        }
    }

    @Test
    void overlappingFindsBecomeOneMaskOfTheFirstKind() {
        TranscriptRedactor redactor = new TranscriptRedactor(true,
                List.of(new TranscriptRedactor.NamedPattern("digits", Pattern.compile("\\d{4} \\d{4}"))));
        assertEquals("pay [redacted:card] now", redactor.redact("pay 4111 1111 1111 1111 now", true).text());
    }

    @Test
    void cardsCanBeSwitchedOffPatternsStillApply() {
        TranscriptRedactor redactor = new TranscriptRedactor(false, List.of(SSN));
        assertEquals("4111111111111111 [redacted:ssn]", redactor.redact("4111111111111111 123-45-6789", true).text());
    }

    @Test
    void aCardSplitAcrossTwoDeltasIsCaughtOnTheTextSoFar() {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of());
        String first = "Your card is 4111 1111 ";
        assertEquals("Your card is [redacted:card] ", redactor.redact(first, false).text());
        assertEquals("Your card is [redacted:card], right?",
                redactor.redact(first + "1111 1111, right?", true).text());
    }

    @Test
    void noneMasksNothing() {
        assertEquals("4111111111111111", TranscriptRedactor.NONE.redact("4111111111111111", true).text());
    }

    @Test
    void toolArgumentsAndOutputsAreMaskedInTheFormCallJsonGivesThemBack() throws Exception {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of(SSN));
        List<ToolCall> calls = List.of(
                new ToolCall("charge", "call_1", null, 100, 300, 200,
                        "{ \"card\": \"4111 1111 1111 1111\",  \"amount\": 12 }",
                        "{\"ok\":true,\"last4\":\"1111\"}", null),
                new ToolCall("lookup", "call_2", null, 400, 500, 100, "{\"ssn\":\"123-45-6789\"}",
                        "card on file: forty-one eleven eleven eleven eleven eleven eleven eleven", null),
                new ToolCall("charge", "call_3", null, 600, 700, 100, "{\"card\":4111111111111111}", null,
                        "timeout"),
                new ToolCall("weather", "call_4", null, 800, 900, 100, "{\"city\":\"Oslo\"}", "{\"c\":4}", null));
        List<Redaction> spans = new ArrayList<>();
        List<ToolCall> stored = redactor.tools(calls, spans);

        assertEquals("{\"card\":\"[redacted:card]\",\"amount\":12}", stored.get(0).arguments(),
                "compacted as call.json writes JSON, then masked");
        assertEquals("{\"ok\":true,\"last4\":\"1111\"}", stored.get(0).output(), "four digits alone are no card");
        assertEquals("{\"ssn\":\"[redacted:ssn]\"}", stored.get(1).arguments());
        assertEquals("card on file: [redacted:card]", stored.get(1).output(), "said as pairs");
        assertEquals("{\"card\":[redacted:card]}", stored.get(2).arguments(),
                "a card as a JSON number: the text is masked, and is stored as text");
        assertSame(calls.get(3), stored.get(3), "nothing to mask: the same call");
        assertEquals(List.of(
                new Redaction("call_1", "card", 9, 24, Redaction.TOOL_ARGUMENTS, Redaction.NO_INDEX),
                new Redaction("call_2", "ssn", 8, 22, Redaction.TOOL_ARGUMENTS, Redaction.NO_INDEX),
                new Redaction("call_2", "card", 14, 29, Redaction.TOOL_OUTPUT, Redaction.NO_INDEX),
                new Redaction("call_3", "card", 8, 23, Redaction.TOOL_ARGUMENTS, Redaction.NO_INDEX)), spans);

        CallLog log = new CallLog(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), stored, null,
                List.of(), null, null, spans);
        CallRecord read = CallJson.read(CallJson.write(new CallRecord(CallJsonTest.META,
                Instant.parse("2026-11-30T12:00:06Z"), "caller_bye", 6000, log, new RecorderStats(0, 0, 0, 0, 0),
                RecordingStatus.COMPLETE)));
        assertEquals(spans, read.log().redactions());
        for (Redaction span : read.log().redactions()) {
            ToolCall call = read.log().tools().stream().filter(c -> c.callId().equals(span.itemId())).findFirst()
                    .orElseThrow();
            String text = span.field().equals(Redaction.TOOL_ARGUMENTS) ? call.arguments() : call.output();
            assertEquals(TranscriptRedactor.mask(span.kind()), text.substring(span.startChar(), span.endChar()),
                    "each span points at its mask in the text read back: " + span);
        }
        assertFalse(new String(CallJson.write(read)).contains("4111"));
    }

    @Test
    void aSupervisorsTextsAreMaskedButNotATransferTarget() {
        TranscriptRedactor redactor = new TranscriptRedactor(true, List.of());
        List<CallAction> actions = List.of(
                new CallAction(1000, CallAction.SAY, "token", "Your card 4111-1111-1111-1111 is charged."),
                new CallAction(2000, "hangup", "token", null),
                new CallAction(3000, CallAction.INSTRUCTIONS, "loopback",
                        "The caller's card is five five five five five five five five five five five five four four"
                                + " four four; never repeat it."),
                new CallAction(4000, "transfer", "token", "sip:4111111111111111@pbx.example"));
        List<Redaction> spans = new ArrayList<>();
        List<CallAction> stored = redactor.actions(actions, spans);
        assertEquals("Your card [redacted:card] is charged.", stored.get(0).detail());
        assertSame(actions.get(1), stored.get(1));
        assertEquals("The caller's card is [redacted:card]; never repeat it.", stored.get(2).detail());
        assertSame(actions.get(3), stored.get(3), "a SIP URI the call was sent to is no supervisor's text");
        assertEquals(List.of(new Redaction(null, "card", 10, 25, Redaction.ACTION_DETAIL, 0),
                new Redaction(null, "card", 21, 36, Redaction.ACTION_DETAIL, 2)), spans);
        assertSame(actions, TranscriptRedactor.NONE.actions(actions, spans));
    }
}
