package gateway.bridge.call;

import gateway.library.Role;
import gateway.library.Turn;
import gateway.realtime.ClientEvent.ConversationItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The conversation so far, as the text items a new Realtime session is given when it takes over a call (a session
 * cannot be resumed, only re-seeded: docs/realtime-protocol.md §5.5). The instructions travel in its session.update;
 * this adds the turns: what the caller said as user text, what the assistant said as assistant text, the most
 * recent first until the size budget is spent, then put back in order. Turns without text (no transcript) are left
 * out; when older turns did not fit, a system note says so.
 */
final class ConversationContext {

    /** Said first when older turns were left out. */
    static final String OMITTED_NOTE = "Earlier parts of this phone call are not repeated here.";
    /** Appended to an assistant turn the caller cut off: the text is what was meant, not all of it was heard. */
    static final String CUT_OFF_MARK = " …";

    private ConversationContext() {
    }

    static List<ConversationItem> of(List<Turn> turns, int maxChars) {
        List<ConversationItem> newestFirst = new ArrayList<>();
        int budget = maxChars;
        boolean omitted = false;
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn turn = turns.get(i);
            String text = turn.text().strip();
            if (text.isEmpty()) {
                continue;
            }
            if (turn.role() == Role.ASSISTANT && turn.interrupted()) {
                text += CUT_OFF_MARK;
            }
            if (text.length() > budget) {
                omitted = true;
                break;
            }
            budget -= text.length();
            newestFirst.add(turn.role() == Role.CALLER
                    ? new ConversationItem.UserText(text) : new ConversationItem.AssistantText(text));
        }
        Collections.reverse(newestFirst);
        if (omitted) {
            newestFirst.add(0, new ConversationItem.SystemText(OMITTED_NOTE));
        }
        return newestFirst;
    }
}
