package org.itsmhub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.itsmhub.runtime.config.ConfigIssue;
import org.itsmhub.runtime.config.ConfigLoader;
import org.itsmhub.runtime.config.PluginCatalog;
import org.itsmhub.runtime.config.RouteTemplateCatalog;
import org.itsmhub.runtime.plugin.PluginHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML block the README and docs/ show is one the hub accepts: a block tagged {@code yaml} is
 * a whole config file and passes the real validator (real plugin zips and route templates, as
 * {@code itsm-hub validate} checks it); a block tagged {@code yaml fragment} is a part of one and
 * must still be valid YAML whose {@code ${...}} references resolve. The convention is documented in
 * docs/configuration.md ("Examples in this documentation").
 */
class DocsYamlExamplesTest {

    /** An opening or closing fence, possibly indented (inside a list item), with its info string. */
    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^`\\s]*)\\s*(.*)$");
    /** A line that only a config file has: YAML hidden in a block without the yaml tag would go unchecked. */
    private static final Pattern CONFIG_LINE = Pattern.compile("^\\s*(-\\s+)?(tenants|connections|syncs|plugin|flow):(\\s|$)");

    private static PluginHost plugins;
    private static ConfigLoader loader;

    @TempDir
    Path dir;

    /** One fenced block of a doc. */
    record Block(Path doc, int line, int indent, String info, boolean fragment, String text) {

        String where() {
            return doc + ":" + line;
        }

        /** An issue of the block's temp file as a position in the doc. */
        String where(ConfigIssue issue) {
            return doc + ":" + (line + issue.line()) + ":" + (indent + issue.column()) + ": "
                    + (issue.keyPath().isEmpty() ? "" : issue.keyPath() + ": ") + issue.message();
        }
    }

    @BeforeAll
    static void loadPlugins() {
        plugins = PluginHost.load(Path.of("target/plugins"));
        loader = new ConfigLoader(PluginCatalog.of(plugins.factories()), RouteTemplateCatalog.read(Path.of("../routes")),
                ConfigFilesValidateTest::environment);
    }

    @AfterAll
    static void closePlugins() {
        plugins.close();
    }

    @Test
    void everyYamlBlockInTheDocsIsAValidConfigOrAMarkedFragment() throws IOException {
        List<Block> yaml = blocks().stream().filter(b -> b.info().equals("yaml") || b.info().equals("yml")).toList();
        assertThat(yaml).as("YAML blocks in the docs").hasSizeGreaterThan(8);
        assertThat(yaml).as("whole config files in the docs").filteredOn(b -> !b.fragment()).hasSizeGreaterThan(2);

        List<String> problems = new ArrayList<>();
        for (Block block : yaml) {
            Path file = dir.resolve("example.yaml");
            Files.writeString(file, block.text());
            List<ConfigIssue> issues = block.fragment()
                    ? ConfigLoader.read(file, ConfigFilesValidateTest::environment).issues()
                    : loader.load(file).issues();
            issues.stream().filter(i -> i.file().equals(file)).map(block::where).forEach(problems::add);
            issues.stream().filter(i -> !i.file().equals(file)).map(i -> block.where() + ": " + i).forEach(problems::add);
        }
        assertThat(problems).as("YAML blocks that are not valid configs (mark parts of one as ```yaml fragment)").isEmpty();
    }

    @Test
    void noConfigIsHiddenInABlockWithoutTheYamlTag() throws IOException {
        List<String> untagged = blocks().stream()
                .filter(b -> !b.info().equals("yaml") && !b.info().equals("yml"))
                .filter(b -> b.text().lines().anyMatch(l -> CONFIG_LINE.matcher(l).find()))
                .map(b -> b.where() + " (```" + b.info() + ")").toList();

        assertThat(untagged).as("blocks that hold config YAML but are not tagged yaml").isEmpty();
    }

    /** Every fenced block of README.md and docs/**.md, with the text the fence's indent removed. */
    private static List<Block> blocks() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("../README.md")));
        try (Stream<Path> files = Files.walk(Path.of("../docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher open = FENCE.matcher(lines.get(i));
                if (!open.matches()) {
                    continue;
                }
                int indent = open.group(1).length();
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size(); j++) {
                    Matcher close = FENCE.matcher(lines.get(j));
                    if (close.matches() && close.group(2).charAt(0) == open.group(2).charAt(0)
                            && close.group(2).length() >= open.group(2).length() && close.group(3).isEmpty()) {
                        break;
                    }
                    String line = lines.get(j);
                    text.append(line, Math.min(indent, leadingSpaces(line)), line.length()).append('\n');
                }
                blocks.add(new Block(Path.of("..").relativize(doc), i + 1, indent, open.group(3),
                        open.group(4).strip().equals("fragment"), text.toString()));
                i = j;
            }
        }
        return blocks;
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
