package gateway.realtime;

import java.util.List;

/**
 * The Realtime server events the gateway acts on (GA names); anything else arrives as {@link Unknown}.
 * Missing string fields are {@code null}; missing times are {@link #NO_TIME}.
 */
public sealed interface ServerEvent {

    /** The value of a millisecond field that the event did not carry. */
    long NO_TIME = -1;

    /**
     * The wire {@code type} of {@code response.output_audio.delta}, the bulk of the traffic: it has no record and
     * goes to {@link RealtimeListener#onAudioDelta} instead.
     */
    String OUTPUT_AUDIO_DELTA = "response.output_audio.delta";

    /** The wire {@code type} of the event. */
    String type();

    /**
     * {@code session.created}: the first event on a new connection; {@code expiresAt} is the session's end in Unix
     * seconds ({@code session.expires_at}, creation + 3600 on GA), {@link #NO_TIME} when absent.
     */
    record SessionCreated(String sessionId, long expiresAt) implements ServerEvent {
        public static final String TYPE = "session.created";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code session.updated}: the server accepted a {@code session.update}; fields as in {@link SessionCreated}. */
    record SessionUpdated(String sessionId, long expiresAt) implements ServerEvent {
        public static final String TYPE = "session.updated";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code input_audio_buffer.speech_started}; the time is in cumulative input-audio ms, prefix padding included. */
    record SpeechStarted(long audioStartMs, String itemId) implements ServerEvent {
        public static final String TYPE = "input_audio_buffer.speech_started";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code input_audio_buffer.speech_stopped}; the time is in cumulative input-audio ms, trailing silence included.
     */
    record SpeechStopped(long audioEndMs, String itemId) implements ServerEvent {
        public static final String TYPE = "input_audio_buffer.speech_stopped";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code input_audio_buffer.committed}: the caller's turn became a user item. */
    record InputAudioCommitted(String itemId, String previousItemId) implements ServerEvent {
        public static final String TYPE = "input_audio_buffer.committed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.created}. */
    record ResponseCreated(String responseId) implements ServerEvent {
        public static final String TYPE = "response.created";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.output_item.added}; {@code itemType} is {@code message} or {@code function_call}. */
    record OutputItemAdded(String responseId, String itemId, String itemType) implements ServerEvent {
        public static final String TYPE = "response.output_item.added";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.output_audio.done}: no more audio for this item. */
    record OutputAudioDone(String responseId, String itemId) implements ServerEvent {
        public static final String TYPE = "response.output_audio.done";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.output_audio_transcript.delta}: the next piece of what the assistant is saying. */
    record OutputAudioTranscriptDelta(String responseId, String itemId, String delta) implements ServerEvent {
        public static final String TYPE = "response.output_audio_transcript.delta";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code response.output_audio_transcript.done}: the full text of what the assistant said in this item. */
    record OutputAudioTranscriptDone(String responseId, String itemId, String transcript) implements ServerEvent {
        public static final String TYPE = "response.output_audio_transcript.done";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code conversation.item.input_audio_transcription.completed}: may come before or after the response. */
    record InputTranscriptionCompleted(String itemId, String transcript) implements ServerEvent {
        public static final String TYPE = "conversation.item.input_audio_transcription.completed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code conversation.item.input_audio_transcription.failed}; {@code message} is {@code error.message}. */
    record InputTranscriptionFailed(String itemId, String message) implements ServerEvent {
        public static final String TYPE = "conversation.item.input_audio_transcription.failed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code response.function_call_arguments.done}: the model calls a function (§5.4); {@code arguments} is its
     * JSON text. The client answers with a {@code function_call_output} item and, after {@code response.done}, a
     * new {@code response.create}.
     */
    record FunctionCallArgumentsDone(String responseId, String itemId, String callId, String name, String arguments)
            implements ServerEvent {
        public static final String TYPE = "response.function_call_arguments.done";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code response.done}: {@code status} is completed, cancelled, incomplete or failed; {@code reason} is
     * {@code status_details.reason} (turn_detected, client_cancelled, max_output_tokens, …) or {@code null};
     * {@code errorType} and {@code errorCode} are {@code status_details.error}'s (a failed response) or {@code null};
     * {@code usage} is what the response cost, or {@code null} when the event did not say.
     */
    record ResponseDone(String responseId, String status, String reason, String errorType, String errorCode,
                        Usage usage) implements ServerEvent {
        public static final String TYPE = "response.done";

        /** A response.done without error or usage. */
        public ResponseDone(String responseId, String status, String reason) {
            this(responseId, status, reason, null, null, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The tokens a response used ({@code response.usage} of {@code response.done}, §4): input and output, each as
     * text and audio; {@code inputCachedTokens} of the input came from the cache. Missing counts are 0.
     */
    record Usage(long inputTextTokens, long inputAudioTokens, long inputCachedTokens, long outputTextTokens,
                 long outputAudioTokens) {

        /** Every input token, text and audio. */
        public long inputTokens() {
            return inputTextTokens + inputAudioTokens;
        }

        /** Every output token, text and audio. */
        public long outputTokens() {
            return outputTextTokens + outputAudioTokens;
        }
    }

    /** {@code rate_limits.updated}: the limits as they stand after the last response (§4). */
    record RateLimitsUpdated(List<RateLimit> limits) implements ServerEvent {
        public static final String TYPE = "rate_limits.updated";

        public RateLimitsUpdated {
            limits = List.copyOf(limits);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * One entry of {@code rate_limits}: {@code name} ({@code requests} or {@code tokens}), the limit, what remains
     * of it, and the seconds until it is reset.
     */
    record RateLimit(String name, long limit, long remaining, double resetSeconds) {
    }

    /**
     * {@code response.output_item.done}: an item of a response is complete. The gateway acts on two kinds
     * ({@code itemType}): {@code mcp_call}, a remote MCP server's tool {@code name} that the service ran for the model
     * ({@code serverLabel}, {@code arguments}, its {@code output}, or {@code error}: the error's message or JSON), and
     * {@code mcp_approval_request}, the service asking whether it may run one ({@code itemId} is the request's id; it
     * waits for an {@code mcp_approval_response} and a new {@code response.create}). Other items carry only their
     * ids and type.
     */
    record OutputItemDone(String responseId, String itemId, String itemType, String serverLabel, String name,
                          String arguments, String output, String error) implements ServerEvent {
        public static final String TYPE = "response.output_item.done";
        public static final String MCP_CALL = "mcp_call";
        public static final String MCP_APPROVAL_REQUEST = "mcp_approval_request";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code conversation.item.truncated}. */
    record ItemTruncated(String itemId, long audioEndMs) implements ServerEvent {
        public static final String TYPE = "conversation.item.truncated";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code error}: the fields of its {@code error} object; non-fatal unless a close follows. {@code eventId} is the
     * {@code event_id} of the client event it refuses, when that event had one.
     */
    record ErrorEvent(String errorType, String code, String message, String param, String eventId)
            implements ServerEvent {
        public static final String TYPE = "error";

        /** An error about no client event of ours that had an id. */
        public ErrorEvent(String errorType, String code, String message, String param) {
            this(errorType, code, message, param, null);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Any other event, by its wire type ({@code null} when the frame had none). */
    record Unknown(String type) implements ServerEvent {
    }
}
