package gateway.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gateway.testkit.FuzzInvariants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any bytes as the YAML configuration file, through {@link ConfigLoader#load} as {@code ./gateway --config FILE} runs
 * it: the result is a configuration or a {@link ConfigException} that names a key and says what is wrong, never
 * another exception. Seeds: the shipped and the tests' configuration files ({@code ConfigFileFuzzTestInputs}).
 */
class ConfigFileFuzzTest {

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("fuzz-config", ".yaml");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = FuzzInvariants.FUZZ_DURATION)
    void aConfigFileLoadsOrNamesTheKeyAtFault(byte[] yaml) throws IOException {
        Files.write(file, yaml);
        try {
            assertNotNull(ConfigLoader.load(List.of("--config", file.toString()), Map.of()));
        } catch (ConfigException e) {
            assertFalse(e.key() == null || e.key().isBlank(), "names its key: " + e.getMessage());
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "says what is wrong");
        }
    }
}
