package gateway.bridge.call;

import gateway.realtime.ServerEvent;

/**
 * Routes every Realtime server event of a call, in one switch, to the part that acts on it: the session's own life
 * (created, updated, expired) to {@link RealtimeLegs}, from whichever session it comes; transcripts to the
 * {@link Conversation}, also late ones from a replaced session while it drains; rate limits from any session to the
 * {@link ConversationControl}; everything else only from the live session: the spoken exchange to the
 * {@link Conversation} (the caller's speech events also tell the session how far it took its input,
 * {@link RealtimeLeg#tookUpTo}), and responses, tool calls, errors and usage to the {@link ConversationControl}.
 * After an event a waiting session may take over (a turn may have ended).
 *
 * <p>Call's loop only.
 */
final class ServerEventRouter {

    private final RealtimeLegs legs;
    private final Conversation conversation;
    private final ConversationControl control;

    ServerEventRouter(RealtimeLegs legs, Conversation conversation, ConversationControl control) {
        this.legs = legs;
        this.conversation = conversation;
        this.control = control;
    }

    /** Hands {@code event}, from session {@code leg}, to the part that acts on it. */
    void route(RealtimeLeg leg, ServerEvent event) {
        switch (event) {
            case ServerEvent.SessionCreated e -> {
                legs.sessionCreated(leg, e.sessionId(), e.expiresAt());
                return;
            }
            case ServerEvent.SessionUpdated e -> {
                legs.sessionUpdated(leg, e.sessionId(), e.expiresAt());
                return;
            }
            case ServerEvent.ErrorEvent e when RealtimeLegs.SESSION_EXPIRED.equals(e.code()) -> {
                legs.sessionExpired(leg, e.message());
                return;
            }
            case ServerEvent.RateLimitsUpdated e -> {
                control.rateLimits(e);
                return;
            }
            case ServerEvent.InputTranscriptionCompleted e when leg.transcribes() ->
                    conversation.callerTranscript(e.itemId(), e.transcript());
            case ServerEvent.OutputAudioTranscriptDone e when leg.transcribes() ->
                    conversation.assistantTranscript(e.itemId(), e.transcript());
            case ServerEvent e when !leg.live() -> {
                return;                     // nothing else counts from a session that is not (or no longer) live
            }
            case ServerEvent.SpeechStarted e -> {
                leg.tookUpTo(e.audioStartMs());
                conversation.speechStarted(leg, e.itemId(), e.audioStartMs());
                control.callerSpeechStarted();
            }
            case ServerEvent.SpeechStopped e -> {
                leg.tookUpTo(e.audioEndMs());
                conversation.speechStopped(leg, e.itemId(), e.audioEndMs());
                control.callerSpeechStopped();
            }
            case ServerEvent.ResponseCreated e -> {
                conversation.responseCreated(leg, e.responseId());
                control.responseCreated(e.responseId());
            }
            case ServerEvent.OutputAudioTranscriptDelta e ->
                    conversation.assistantTranscriptDelta(e.itemId(), e.delta());
            case ServerEvent.FunctionCallArgumentsDone e -> control.functionCall(leg, e);
            case ServerEvent.OutputItemAdded e -> control.outputItemAdded(e);
            case ServerEvent.OutputItemDone e -> control.outputItemDone(leg, e);
            case ServerEvent.ResponseDone e -> {
                conversation.responseDone(e.responseId(), e.status());
                control.responseDone(e);
            }
            case ServerEvent.ErrorEvent e -> {
                conversation.serviceError(e.errorType(), e.code(), e.message());
                control.error(e);
            }
            case ServerEvent e -> {
                // Not acted on: committed, audio done, item truncated, transcription failed, …
            }
        }
        legs.maybeSwitch();
    }
}
