package gateway.recorder;

/** Rare per-call requests from event loops to the writer thread, ordered after the audio queued before them. */
sealed interface WriterCommand {

    CallRecording call();

    /** Save the log so far in call.json.partial. */
    record Checkpoint(CallRecording call, CallLog log) implements WriterCommand {
    }

    /** Finalise the call's files. */
    record Finish(CallRecording call, CallSummary summary) implements WriterCommand {
    }

    /** Delete the call's files: the call turned out never to have been answered. */
    record Discard(CallRecording call) implements WriterCommand {
    }
}
