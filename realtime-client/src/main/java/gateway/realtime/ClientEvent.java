package gateway.realtime;

import java.util.Objects;

/**
 * The events the gateway sends to the Realtime service (GA shapes, docs/realtime-protocol.md §3), one record each.
 * {@link ClientEventEncoder} writes them; {@code input_audio_buffer.append}, the one sent every 20 ms, is written
 * straight into its WebSocket frame by {@link RealtimeConnection#appendAudio} and has only its type name here.
 */
public sealed interface ClientEvent {

    /** The wire {@code type} of {@code input_audio_buffer.append}. */
    String INPUT_AUDIO_APPEND = "input_audio_buffer.append";

    /** The wire {@code type}. */
    String type();

    /** {@code session.update}: audio out only, PCM 24 kHz both ways, server VAD, the settings' texts. */
    record SessionUpdate(SessionSettings settings) implements ClientEvent {
        public static final String TYPE = "session.update";

        public SessionUpdate {
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code session.update} naming the instructions alone (an update is partial, §2): new instructions mid-call, every
     * other setting (the voice above all, which cannot change once the model has spoken) left as it is.
     */
    record InstructionsUpdate(String instructions) implements ClientEvent {
        public static final String TYPE = SessionUpdate.TYPE;

        public InstructionsUpdate {
            Objects.requireNonNull(instructions, "instructions");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code input_audio_buffer.commit}. */
    record InputAudioCommit() implements ClientEvent {
        public static final String TYPE = "input_audio_buffer.commit";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code input_audio_buffer.clear}. */
    record InputAudioClear() implements ClientEvent {
        public static final String TYPE = "input_audio_buffer.clear";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code conversation.item.create} of a text message: how a new session learns the conversation so far. */
    record ConversationItemCreate(ConversationItem item) implements ClientEvent {
        public static final String TYPE = "conversation.item.create";

        public ConversationItemCreate {
            Objects.requireNonNull(item, "item");
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code conversation.item.truncate}: the caller heard only {@code audioEndMs} of that assistant item. */
    record ItemTruncate(String itemId, int contentIndex, long audioEndMs) implements ClientEvent {
        public static final String TYPE = "conversation.item.truncate";

        public ItemTruncate {
            Objects.requireNonNull(itemId, "itemId");
            if (audioEndMs < 0) {
                throw new IllegalArgumentException("audioEndMs < 0: " + audioEndMs);
            }
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code response.create} (§3). {@code instructions}, when not null, replace the session's instructions for this
     * response only; {@code eventId}, when not null, is the client {@code event_id} an {@code error} about it echoes.
     */
    record ResponseCreate(String instructions, String eventId) implements ClientEvent {
        public static final String TYPE = "response.create";
        /** Client event ids are at most 512 characters (§3). */
        public static final int MAX_EVENT_ID_LENGTH = 512;

        public ResponseCreate {
            if (eventId != null && (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH)) {
                throw new IllegalArgumentException("event id of 1-" + MAX_EVENT_ID_LENGTH + " characters: " + eventId);
            }
        }

        /** {@code response.create} with no overrides and no event id. */
        public ResponseCreate() {
            this(null, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.cancel}; {@code responseId} may be null (the active response). */
    record ResponseCancel(String responseId) implements ClientEvent {
        public static final String TYPE = "response.cancel";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * An item of {@code conversation.item.create} (§3): a text message, the output of a function call, or the answer
     * to an MCP approval request.
     */
    sealed interface ConversationItem {

        /** {@code type:"message"} with one text part. */
        sealed interface TextMessage extends ConversationItem {
            String text();
        }

        /** {@code role:"user"} with {@code input_text}: what the caller said. */
        record UserText(String text) implements TextMessage {
            public UserText {
                Objects.requireNonNull(text, "text");
            }
        }

        /** {@code role:"assistant"} with {@code output_text}: what the assistant said. */
        record AssistantText(String text) implements TextMessage {
            public AssistantText {
                Objects.requireNonNull(text, "text");
            }
        }

        /** {@code role:"system"} with {@code input_text}: a note from the gateway. */
        record SystemText(String text) implements TextMessage {
            public SystemText {
                Objects.requireNonNull(text, "text");
            }
        }

        /** {@code type:"function_call_output"}: what a tool the model called returned (§5.4), as a JSON string. */
        record FunctionCallOutput(String callId, String output) implements ConversationItem {
            public FunctionCallOutput {
                Objects.requireNonNull(callId, "callId");
                Objects.requireNonNull(output, "output");
            }
        }

        /**
         * {@code type:"mcp_approval_response"}: the answer to the service's request to run a tool of a remote MCP
         * server that needs approval; {@code reason} may be null.
         */
        record McpApprovalResponse(String approvalRequestId, boolean approve, String reason)
                implements ConversationItem {
            public McpApprovalResponse {
                Objects.requireNonNull(approvalRequestId, "approvalRequestId");
            }
        }
    }
}
