package gateway.storage;

import gateway.library.CallMetadata;
import gateway.library.Role;
import gateway.library.Turn;
import gateway.recorder.CallRecording;
import gateway.recorder.CallSummary;
import gateway.recorder.RecorderSettings;
import gateway.recorder.RecordingService;
import gateway.testkit.Signals;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finished calls written by the real recorder (no SIP needed to test storage): the testkit's stereo pattern, so a
 * swapped or shifted channel shows, two turns and their captions.
 */
final class RecordedCalls implements AutoCloseable {

    static final int RATE = 24_000;
    /** Samples written per call to the recorder: one 20 ms packet. */
    private static final int BLOCK = 480;

    private final RecordingService service;

    RecordedCalls(Path dir) {
        this.service = new RecordingService(dir, new RecorderSettings(5, 8));
    }

    /** Records {@code seconds} of both legs for call {@code id} started at {@code startedAt}; returns its folder. */
    Path record(String id, Instant startedAt, int seconds) throws Exception {
        CallRecording call = service.start(new CallMetadata(id, id + "@198.51.100.7", "sip:+15550001@example.com",
                "sip:agent@example.com", startedAt, "PCMU"));
        long frames = (long) seconds * RATE;
        Signals.writePattern(0, frames, BLOCK, (p, caller, assistant, length) -> {
            call.caller(p, caller, 0, length);
            call.assistant(p, assistant, 0, length);
        });
        List<Turn> turns = List.of(
                new Turn(Role.CALLER, 100, 900, "Hello, is this the clinic?", "item_c1", false),
                new Turn(Role.ASSISTANT, 1000, seconds * 1000L - 100, "Yes, how can I help?", "item_a1", false));
        return call.finish(new CallSummary(startedAt.plusSeconds(seconds), frames, "caller_bye", turns))
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        service.close();
    }
}
