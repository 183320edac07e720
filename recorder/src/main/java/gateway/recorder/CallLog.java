package gateway.recorder;

import java.util.List;

/** What happened in a call besides its audio: the turns, the holds and the Realtime sessions, for call.json. */
public record CallLog(List<Turn> turns, List<HoldPeriod> holds, List<SessionPeriod> sessions) {

    public CallLog {
        turns = turns == null ? List.of() : List.copyOf(turns);
        holds = holds == null ? List.of() : List.copyOf(holds);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    /** A log of turns only. */
    public static CallLog of(List<Turn> turns) {
        return new CallLog(turns, List.of(), List.of());
    }

    public static final CallLog EMPTY = of(List.of());
}
