package gateway.bridge.call;

import gateway.realtime.ServerEvent;

/**
 * Routes every Realtime server event of a call, in one switch, to the part that acts on it: the session's own life
 * (created, updated, expired) to {@link RealtimeLegs}, from whichever session it comes; transcripts to the
 * {@link Conversation}, also late ones from a replaced session while it drains; everything else only from the live
 * session: the conversation's events to the {@link Conversation}, the model's function calls to
 * {@link RecordingTools}. After a conversation event a waiting session may take over (a turn may have ended).
 *
 * <p>Call's loop only.
 */
final class ServerEventRouter {

    private final RealtimeLegs legs;
    private final Conversation conversation;
    private final RecordingTools tools;

    ServerEventRouter(RealtimeLegs legs, Conversation conversation, RecordingTools tools) {
        this.legs = legs;
        this.conversation = conversation;
        this.tools = tools;
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
            case ServerEvent.InputTranscriptionCompleted e when leg.transcribes() ->
                    conversation.callerTranscript(e.itemId(), e.transcript());
            case ServerEvent.OutputAudioTranscriptDone e when leg.transcribes() ->
                    conversation.assistantTranscript(e.itemId(), e.transcript());
            case ServerEvent e when !leg.live() -> {
                return;                     // nothing else counts from a session that is not (or no longer) live
            }
            case ServerEvent.SpeechStarted e -> conversation.speechStarted(leg, e.itemId(), e.audioStartMs());
            case ServerEvent.SpeechStopped e -> conversation.speechStopped(leg, e.itemId(), e.audioEndMs());
            case ServerEvent.ResponseCreated e -> conversation.responseCreated(leg, e.responseId());
            case ServerEvent.OutputAudioTranscriptDelta e ->
                    conversation.assistantTranscriptDelta(e.itemId(), e.delta());
            case ServerEvent.FunctionCallArgumentsDone e -> tools.called(e);
            case ServerEvent.ResponseDone e -> {
                conversation.responseDone(e.responseId(), e.status());
                tools.responseDone(e.responseId()).forEach(leg::send);
            }
            case ServerEvent.ErrorEvent e -> conversation.serviceError(e.errorType(), e.code(), e.message());
            case ServerEvent e -> {
                // Not acted on: committed, output item added, audio done, item truncated, transcription failed, …
            }
        }
        legs.maybeSwitch();
    }
}
