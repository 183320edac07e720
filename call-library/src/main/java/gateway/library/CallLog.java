package gateway.library;

import java.util.List;

/**
 * What happened in a call besides its audio, for call.json: the turns, the holds, the Realtime sessions, the
 * recording pauses, the codec last negotiated ({@code null}: as the metadata said; a late offer learns it only
 * from the ACK), the tools the model called, and the tokens the Realtime sessions used ({@code null} in a call.json
 * written before the gateway counted them).
 */
public record CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                      List<RecordingPause> pauses, String codec, List<ToolCall> tools, CallUsage usage) {

    public CallLog {
        turns = turns == null ? List.of() : List.copyOf(turns);
        holds = holds == null ? List.of() : List.copyOf(holds);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
        pauses = pauses == null ? List.of() : List.copyOf(pauses);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** A log without tool calls or usage (a call.json from before they were kept). */
    public CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions,
                   List<RecordingPause> pauses, String codec) {
        this(turns, holds, sessions, pauses, codec, List.of(), null);
    }

    /** A log of turns only. */
    public static CallLog of(List<Turn> turns) {
        return new CallLog(turns, List.of(), List.of(), List.of(), null);
    }

    public static final CallLog EMPTY = of(List.of());
}
