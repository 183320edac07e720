package gateway.recorder;

import gateway.library.CallLog;

/** Rare per-call requests from event loops to the writer thread. */
sealed interface WriterCommand {

    CallRecording call();

    /** Create audio.wav and a first call.json.partial with the call's metadata, so a crash always leaves both. */
    record Open(CallRecording call) implements WriterCommand {
    }

    /** Write the committed audio and save the log so far in call.json.partial. */
    record Checkpoint(CallRecording call, CallLog log, ProducerStats stats) implements WriterCommand {
    }

    /** Finalise the call's files; the event loop has stopped writing audio. */
    record Finish(CallRecording call, CallSummary summary, ProducerStats stats) implements WriterCommand {
    }

    /** Delete the call's files: the call turned out never to have been answered. */
    record Discard(CallRecording call) implements WriterCommand {
    }
}
