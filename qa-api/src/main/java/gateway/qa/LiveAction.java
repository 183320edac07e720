package gateway.qa;

import java.util.Objects;

/** What a supervisor asks of a call in progress through the active calls API. */
public sealed interface LiveAction {

    /** The name call.json and the audit log give it. */
    String name();

    /** The agent says {@code text} next: a conversation item and a response, after the reply under way. */
    record Say(String text) implements LiveAction {
        public Say {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String name() {
            return "say";
        }
    }

    /** The session's instructions become {@code instructions} ({@code session.update}), for the rest of the call. */
    record Instructions(String instructions) implements LiveAction {
        public Instructions {
            Objects.requireNonNull(instructions, "instructions");
        }

        @Override
        public String name() {
            return "instructions";
        }
    }

    /** The gateway ends the call with a BYE ({@code api_hangup}). */
    record HangUp() implements LiveAction {
        @Override
        public String name() {
            return "hangup";
        }
    }
}
