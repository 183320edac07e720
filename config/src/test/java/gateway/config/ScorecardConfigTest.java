package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qa.scorecard} from YAML or a JSON flag, each mistake named by its element; the audit retention. */
class ScorecardConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig.Http load(String yaml, String... flags) throws Exception {
        Path file = dir.resolve("gw.yaml");
        Files.writeString(file, yaml);
        List<String> args = new ArrayList<>(List.of("--config", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(args, Map.of()).http();
    }

    private String refusedKey(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).key();
    }

    @Test
    void theFormReadsFromYamlWithDefaultsForWeightAndComment() throws Exception {
        GatewayConfig.Http http = load("qa:\n  scorecard:\n    title: Support calls\n    criteria:\n"
                + "      - {id: greeting, label: Greeted the caller, kind: pass_fail, weight: 2,"
                + " comment-required: true}\n"
                + "      - {id: tone, label: Tone, kind: scale_1_5}\n");
        assertEquals(new GatewayConfig.Scorecard("Support calls", List.of(
                new GatewayConfig.Criterion("greeting", "Greeted the caller", "pass_fail", 2, true),
                new GatewayConfig.Criterion("tone", "Tone", "scale_1_5", 1, false))), http.scorecard());
        assertEquals(0, http.auditRetentionDays());
        assertEquals(List.of(), load("").scorecard().criteria());
    }

    @Test
    void aJsonFlagGivesTheSameForm() throws Exception {
        GatewayConfig.Http http = load("", "--qa.scorecard={\"criteria\":[{\"id\":\"a\",\"label\":\"A\","
                + "\"kind\":\"scale_1_5\",\"weight\":0.5}]}", "--http.audit-retention-days=30");
        assertEquals(List.of(new GatewayConfig.Criterion("a", "A", "scale_1_5", 0.5, false)),
                http.scorecard().criteria());
        assertEquals(30, http.auditRetentionDays());
    }

    @Test
    void eachMistakeNamesItsElement() {
        String ok = "{id: a, label: A, kind: pass_fail}";
        assertEquals("qa.scorecard", refusedKey("qa:\n  scorecard: [1]\n"));
        assertEquals("qa.scorecard.criteria", refusedKey("qa:\n  scorecard: {criteria: []}\n"));
        assertEquals("qa.scorecard.colour", refusedKey("qa:\n  scorecard: {colour: red, criteria: [" + ok + "]}\n"));
        assertEquals("qa.scorecard.criteria[1].id",
                refusedKey("qa:\n  scorecard: {criteria: [" + ok + ", " + ok + "]}\n"));
        assertEquals("qa.scorecard.criteria[0].id",
                refusedKey("qa:\n  scorecard: {criteria: [{id: Bad Id, label: A, kind: pass_fail}]}\n"));
        assertEquals("qa.scorecard.criteria[0].kind",
                refusedKey("qa:\n  scorecard: {criteria: [{id: a, label: A, kind: scale_1_10}]}\n"));
        assertEquals("qa.scorecard.criteria[0].weight",
                refusedKey("qa:\n  scorecard: {criteria: [{id: a, label: A, kind: pass_fail, weight: 0}]}\n"));
        assertEquals("qa.scorecard.criteria[0].label",
                refusedKey("qa:\n  scorecard: {criteria: [{id: a, kind: pass_fail}]}\n"));
        assertEquals("qa.scorecard.criteria[0].comment-required", refusedKey(
                "qa:\n  scorecard: {criteria: [{id: a, label: A, kind: pass_fail, comment-required: yes-ish}]}\n"));
        assertEquals("qa.scorecard.criteria[0].size",
                refusedKey("qa:\n  scorecard: {criteria: [{id: a, label: A, kind: pass_fail, size: 2}]}\n"));
        assertEquals("http.audit-retention-days", refusedKey("http:\n  audit-retention-days: -1\n"));
    }
}
