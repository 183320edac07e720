package gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The image build copies every module of the Maven build, so a new module cannot be silently left out of it. */
class DockerfileTest {

    private static final Path ROOT_POM = Path.of("..", "pom.xml");
    private static final Path DOCKERFILE = Path.of("..", "docker", "Dockerfile");
    /** {@code COPY <src> <dest>} with nothing else on the line (no flags such as --from); a trailing / is allowed. */
    private static final Pattern COPY = Pattern.compile("^COPY\\s+([^\\s-][^\\s]*?)/?\\s+([^\\s]+?)/?\\s*$");

    @Test
    void everyModuleOfTheBuildIsCopiedIntoTheImage() throws Exception {
        List<String> modules = buildModules();
        assertFalse(modules.isEmpty(), "no <module> found in " + ROOT_POM);
        Set<String> copied = Files.readAllLines(DOCKERFILE).stream()
                .map(String::strip)
                .map(COPY::matcher)
                .filter(Matcher::matches)
                .filter(m -> m.group(1).equals(m.group(2)))
                .map(m -> m.group(1))
                .collect(Collectors.toSet());
        List<String> missing = modules.stream().filter(m -> !copied.contains(m)).toList();
        assertEquals(List.of(), missing, "modules of " + ROOT_POM + " without a 'COPY <module> <module>' line in "
                + DOCKERFILE);
    }

    /** The {@code <module>}s of the root POM's own {@code <modules>}, not those of its profiles (bench). */
    private static List<String> buildModules() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT_POM.toFile())
                .getDocumentElement();
        List<String> modules = new ArrayList<>();
        for (Element list : children(project, "modules")) {
            for (Element module : children(list, "module")) {
                modules.add(module.getTextContent().strip());
            }
        }
        return modules;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
