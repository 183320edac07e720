package gateway.bench.library;

import gateway.library.TranscriptRedactor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Masking one turn's text (cards and one configured pattern): what a checkpoint pays for each turn whose text
 * changed since the last one, and a live listener for each transcript.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TranscriptRedactorBenchmark {

    private static final TranscriptRedactor REDACTOR = new TranscriptRedactor(true, List.of(
            new TranscriptRedactor.NamedPattern("ssn", Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"))));

    /** A sentence without numbers, one with a written card, one with a spoken card (about 100-190 characters). */
    @Param({"plain", "written", "spoken"})
    public String text;

    private String input;

    @Setup
    public void setUp() {
        input = said();
    }

    private String said() {
        return switch (text) {
            case "plain" -> "Thanks for waiting. I can see your order from last Tuesday, and it left our warehouse"
                    + " this morning; it should be with you on Friday.";
            case "written" -> "Sure, the card is 4111 1111 1111 1111 and it expires in March next year, the code on"
                    + " the back is 123.";
            default -> "Sure, it's four one one one, one one one one, one one one one, one one one one, and it"
                    + " expires in March next year.";
        };
    }

    @Benchmark
    public TranscriptRedactor.Result redact() {
        return REDACTOR.redact(input, true);
    }
}
