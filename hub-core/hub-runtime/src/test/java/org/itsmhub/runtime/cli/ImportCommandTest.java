package org.itsmhub.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.itsmhub.testkit.plugin.PluginZipBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code itsm-hub import} through a real plugin zip whose factory offers a small file importer
 * (format {@code fake}: one finding per line {@code SEVERITY TITLE}; a line {@code BROKEN} is an
 * invalid file). The real .nessus importer is tested in its plugin.
 */
class ImportCommandTest {

    @TempDir
    static Path pluginsDir;

    @TempDir
    Path work;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void buildFakeImporterPlugin() {
        PluginZipBuilder.plugin("fakeimport")
                .pluginClass("test.fakeimport.FakePlugin")
                .source("test.fakeimport.FakePlugin", """
                        package test.fakeimport;
                        public class FakePlugin extends org.pf4j.Plugin {
                        }
                        """)
                .source("test.fakeimport.FakeFactory", """
                        package test.fakeimport;

                        import java.util.Optional;
                        import org.itsmhub.api.config.ConfigDef;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.ConnectorFactory;
                        import org.itsmhub.api.connector.FindingFileImporter;
                        import org.pf4j.Extension;

                        @Extension
                        public class FakeFactory implements ConnectorFactory {
                            public String id() { return "fakeimport"; }
                            public String version() { return "1.0.0"; }
                            public String description() { return "Fake importer for hub runtime tests"; }
                            public ConfigDef configDef() { return new ConfigDef(); }
                            public Class<? extends Connector> connectorType() { return FakeConnector.class; }
                            public Optional<FindingFileImporter> fileImporter() { return Optional.of(new FakeImporter()); }
                            public Connector create(ConnectorContext context) { return new FakeConnector(); }
                        }
                        """)
                .source("test.fakeimport.FakeConnector", """
                        package test.fakeimport;

                        import java.util.List;
                        import org.itsmhub.api.config.ConfigProblem;
                        import org.itsmhub.api.connector.Connector;

                        public class FakeConnector implements Connector {
                            public List<ConfigProblem> checkConnection() { return List.of(); }
                            public void close() { }
                        }
                        """)
                .source("test.fakeimport.FakeImporter", """
                        package test.fakeimport;

                        import java.io.IOException;
                        import java.nio.file.Files;
                        import java.nio.file.Path;
                        import java.time.Instant;
                        import java.util.EnumMap;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.function.Consumer;
                        import org.itsmhub.api.connector.FindingFileImporter;
                        import org.itsmhub.api.error.DataMappingException;
                        import org.itsmhub.api.model.*;

                        public class FakeImporter implements FindingFileImporter {
                            public String format() { return "fake"; }

                            public ImportSummary importFile(Path file, String tenant, Severity min, Consumer<Asset> assets,
                                    Consumer<Finding> findings) {
                                List<String> lines;
                                try {
                                    lines = Files.readAllLines(file);
                                } catch (IOException e) {
                                    throw new DataMappingException(file + ": cannot read: " + e.getMessage(), e);
                                }
                                AssetIdentity host = new AssetIdentity(null, "host1", null, List.of(), List.of(), Map.of());
                                assets.accept(new Asset(ExternalRef.of("fakeimport", "import", "host1"), host, "host1",
                                        null, null, null, null, Map.of()));
                                Map<Severity, Long> counts = new EnumMap<>(Severity.class);
                                long handedOn = 0;
                                for (int i = 0; i < lines.size(); i++) {
                                    String line = lines.get(i);
                                    if (line.equals("BROKEN")) {
                                        throw new DataMappingException(file + ":" + (i + 1) + ":1: broken line");
                                    }
                                    String[] parts = line.split(" ", 2);
                                    Severity severity = Severity.valueOf(parts[0]);
                                    counts.merge(severity, 1L, Long::sum);
                                    if (severity.isAtLeast(min)) {
                                        findings.accept(new Finding((tenant == null ? "" : tenant + "/") + "fake/" + i,
                                                FindingKind.VULNERABILITY, severity, FindingState.PRESENT, parts[1], null,
                                                null, null, host, Map.of("line", Integer.toString(i + 1)), null,
                                                Instant.parse("2026-11-01T10:00:00Z")));
                                        handedOn++;
                                    }
                                }
                                return new ImportSummary(1, counts, handedOn);
                            }
                        }
                        """)
                .buildInto(pluginsDir);
    }

    @Test
    void writesEveryFindingAsJsonLinesToStdoutAndASummaryToStderr() throws IOException {
        Path scan = scan("HIGH Old OpenSSH", "INFO Open port", "CRITICAL Remote code execution");

        assertThat(run("fake", scan.toString(), "--tenant", "acme")).isEqualTo(0);

        List<JsonNode> lines = jsonLines(out.toString());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("key").asText()).isEqualTo("acme/fake/0");
        assertThat(lines.get(0).get("severity").asText()).isEqualTo("HIGH");
        assertThat(lines.get(0).get("lastSeen").asText()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(lines.get(2).get("title").asText()).isEqualTo("Remote code execution");
        assertThat(err.toString()).contains(scan + ": 1 host(s), 3 finding(s) (critical 1, high 1, medium 0, low 0, "
                + "info 1); 3 at or above info written to stdout");
    }

    @Test
    void minSeverityFiltersWhatIsWrittenButTheSummaryCountsEverything() throws IOException {
        Path scan = scan("HIGH Old OpenSSH", "INFO Open port", "MEDIUM Self-signed certificate", "CRITICAL RCE");

        assertThat(run("fake", scan.toString(), "--min-severity", "high")).isEqualTo(0);

        assertThat(jsonLines(out.toString())).extracting(n -> n.get("severity").asText())
                .containsExactly("HIGH", "CRITICAL");
        assertThat(err.toString()).contains("4 finding(s)").contains("2 at or above high written");
    }

    @Test
    void writesToTheOutFileWhenGiven() throws IOException {
        Path scan = scan("LOW Weak cipher");
        Path target = work.resolve("findings.jsonl");

        assertThat(run("fake", scan.toString(), "--out", target.toString())).isEqualTo(0);

        assertThat(out.toString()).isEmpty();
        assertThat(jsonLines(Files.readString(target))).hasSize(1);
        assertThat(work.resolve("findings.jsonl.partial")).doesNotExist();
    }

    @Test
    void anInvalidFileExitsWith2NamingLineAndColumnAndLeavesNoOutFile() throws IOException {
        Path scan = scan("HIGH Old OpenSSH", "BROKEN");
        Path target = work.resolve("findings.jsonl");

        assertThat(run("fake", scan.toString(), "--out", target.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("itsm-hub: " + scan + ":2:1: broken line; " + target + " was not written")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(target).doesNotExist();
        assertThat(work.resolve("findings.jsonl.partial")).doesNotExist();
    }

    @Test
    void anInvalidFileOnStdoutSaysTheLinesWrittenAreIncomplete() throws IOException {
        Path scan = scan("HIGH Old OpenSSH", "BROKEN");

        assertThat(run("fake", scan.toString())).isEqualTo(2);

        assertThat(err.toString()).contains(scan + ":2:1: broken line; the 1 finding(s) already written to stdout "
                + "are an incomplete import: discard them");
    }

    @Test
    void aMissingFileExitsWith2() {
        Path missing = work.resolve("nope.nessus");

        assertThat(run("fake", missing.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("itsm-hub: " + missing + ": no such file");
    }

    @Test
    void anUnknownFormatExitsWith2AndListsTheFormatsAvailable() throws IOException {
        assertThat(run("qualys", scan("LOW x").toString())).isEqualTo(2);

        assertThat(err.toString()).contains("no plugin in").contains("imports 'qualys' files; formats available: fake");
    }

    @Test
    void aBadMinSeverityExitsWith2() throws IOException {
        assertThat(run("fake", scan("LOW x").toString(), "--min-severity", "severe")).isEqualTo(2);

        assertThat(err.toString()).contains("--min-severity must be info, low, medium, high or critical, was 'severe'");
    }

    private Path scan(String... lines) throws IOException {
        return Files.write(Files.createTempFile(work, "scan", ".fake"), List.of(lines));
    }

    private int run(String... args) {
        String[] withPlugins = new String[args.length + 2];
        System.arraycopy(args, 0, withPlugins, 0, args.length);
        withPlugins[args.length] = "--plugins-dir";
        withPlugins[args.length + 1] = pluginsDir.toString();
        CommandLine cli = new CommandLine(new ImportCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(withPlugins);
    }

    private static List<JsonNode> jsonLines(String text) {
        ObjectMapper json = new ObjectMapper();
        return text.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }
}
