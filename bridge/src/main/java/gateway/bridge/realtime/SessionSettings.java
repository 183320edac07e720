package gateway.bridge.realtime;

/**
 * What the gateway asks of the Realtime session: the agent's instructions, its voice and the input transcription
 * model ({@code null} or empty: no input transcription, so caller turns get no transcript).
 */
public record SessionSettings(String instructions, String voice, String transcriptionModel) {
}
