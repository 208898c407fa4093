package org.itsmhub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.itsmhub.runtime.cli.ItsmHubCli;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * Every {@code itsm-hub ...} command line the README and docs/ show in a code block is one the real
 * CLI accepts: the command exists and its options and arguments parse (running them
 * needs the reader's own config; the demo and validate paths are run by the other tests).
 */
class DocsCliExamplesTest {

    /** A command as written in the docs: after {@code itsm-hub}, up to a comment, backtick or end of line. */
    private static final Pattern COMMAND = Pattern.compile("(?:^|[\\s/$])itsm-hub ((?:[a-z][\\w.-]*|--?[\\w-]+)[^`#\\n\\\\]*)");
    /** Placeholders the docs use in synopses, which are no concrete example. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\b[A-Z]{2,}\\b|\\[|\\||\\.\\.\\.|<");

    /** The README laid into the built distribution, whose paths are relative to the distribution folder. */
    private static final Path DISTRIBUTION_README = Path.of("../distribution/src/dist/README.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)(?:#[^)]*)?\\)");

    @Test
    void theDistributionReadmeNamesOnlyWhatTheDistributionHolds() throws IOException {
        String readme = Files.readString(DISTRIBUTION_README);

        assertThat(readme).doesNotContain("distribution/target").doesNotContain("./mvnw");
        Matcher link = LINK.matcher(readme);
        List<String> targets = new ArrayList<>();
        while (link.find()) {
            targets.add(link.group(1));
        }
        assertThat(targets).as("links in the distribution README").isNotEmpty();
        // the distribution copies docs/, config/, LICENSE and NOTICE from the repository root unchanged
        assertThat(targets).allSatisfy(t -> assertThat(Path.of("..").resolve(t)).as(t).exists());
        for (String path : List.of("bin/itsm-hub", "config/hub.yaml", "config/examples/", "LICENSE", "NOTICE")) {
            assertThat(readme).contains(path);
        }
    }

    @Test
    void everyCommandLineInTheDocsParsesWithTheRealCli() throws IOException {
        List<String> examples = new ArrayList<>();
        for (Path doc : docs()) {
            boolean inCode = false;
            for (String line : Files.readAllLines(doc)) {
                if (line.startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                if (!inCode) {
                    continue; // prose names commands in short ("`itsm-hub run --once`"); examples are in code blocks
                }
                Matcher m = COMMAND.matcher(line);
                while (m.find()) {
                    String command = m.group(1).strip();
                    if (!PLACEHOLDER.matcher(command).find() && !command.startsWith("-")) {
                        examples.add(doc.getFileName() + ": itsm-hub " + command);
                    }
                }
            }
        }

        assertThat(examples).as("the docs show command lines").hasSizeGreaterThan(15);
        List<String> refused = new ArrayList<>();
        for (String example : examples) {
            String[] args = example.substring(example.indexOf("itsm-hub ") + "itsm-hub ".length()).split("\\s+");
            try {
                ItsmHubCli.newCommandLine().parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                refused.add(example + "  -> " + e.getMessage() + " " + Arrays.toString(args));
            }
        }
        assertThat(refused).as("command lines in the docs the CLI refuses").isEmpty();
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("../README.md"), DISTRIBUTION_README));
        try (Stream<Path> files = Files.walk(Path.of("../docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }
}
