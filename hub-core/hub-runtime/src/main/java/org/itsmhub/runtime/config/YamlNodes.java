package org.itsmhub.runtime.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reading YAML into nodes (snakeyaml-engine's compose step) and the positions of nodes.
 *
 * <p>Config and route template files are read within limits, so that a hostile file is refused in
 * well under a second with its position instead of costing minutes of CPU, the heap or the stack
 * (documented in docs/configuration.md, "Limits"). A file that breaks a limit is not read further:
 * the first breach is its one problem.
 */
final class YamlNodes {

    /** Bytes of one config or route template file. */
    static final int MAX_FILE_BYTES = 2 * 1024 * 1024;
    /** Characters of one line: snakeyaml's scanner takes time quadratic in the length of one token. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** Characters of one value, after YAML's own escapes and folding, and bytes of a {@code ${file:...}}. */
    static final int MAX_SCALAR_CHARS = 64 * 1024;
    /** Levels of nested mappings and lists: the composer (and the validator) recurse once per level. */
    static final int MAX_DEPTH = 64;
    /** Values of a file, counting an alias as every value it repeats: what keeps a "billion laughs" out. */
    static final int MAX_VALUES = 1_000_000;

    private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";
    static final String LIMITS = " (see 'Limits' in docs/configuration.md)";

    private YamlNodes() {
    }

    /**
     * The text of a file of at most {@code maxBytes} UTF-8 bytes; empty with an issue (at 1:1, naming
     * {@code what}) when it cannot be read or is larger. Reads no more than the limit, so a device
     * or a growing file cannot exhaust the heap.
     */
    static Optional<String> readText(Path file, int maxBytes, String what, List<ConfigIssue> issues) {
        try {
            String text = readAtMost(file, maxBytes);
            if (text == null) {
                issues.add(new ConfigIssue(file, 1, 1, "", what + " is larger than the limit of " + size(maxBytes)
                        + LIMITS));
            }
            return Optional.ofNullable(text);
        } catch (IOException e) {
            issues.add(new ConfigIssue(file, 1, 1, "", "cannot read " + what + " (" + ConfigLoader.reason(e) + ")"));
            return Optional.empty();
        }
    }

    /**
     * A file's UTF-8 text, or null when it has more than {@code maxBytes}: never reads more than
     * that, so a device or a growing file cannot exhaust the heap.
     *
     * @throws CharacterCodingException when it is not UTF-8
     */
    static String readAtMost(Path file, int maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            return null;
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** {@code "2 MiB"}, {@code "64 KiB"}. */
    static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }

    /**
     * Every document of {@code text}; a syntax error becomes one issue at its position (with the
     * documents before it), a broken limit one issue and no documents. Explicit tags ({@code !!str}, {@code !Foo}) are
     * reported one by one: the hub's files are plain data, and a tag would only ask a YAML library
     * to build some class.
     */
    static List<Node> compose(String text, Path file, List<ConfigIssue> issues) {
        ConfigIssue longLine = longLine(text, file);
        if (longLine != null) {
            issues.add(longLine);
            return List.of();
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchema())
                .setCodePointLimit(MAX_FILE_BYTES)
                // aliases are bounded by what they expand to (MAX_VALUES), reported with their position
                .setMaxAliasesForCollections(Integer.MAX_VALUE)
                .build();
        List<Node> documents = new ArrayList<>();
        List<ConfigIssue> tags = new ArrayList<>();
        try {
            Composer composer = new Composer(settings,
                    new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)), file, tags));
            while (composer.hasNext()) {
                documents.add(composer.next());
            }
        } catch (LimitExceeded e) {
            issues.add(e.issue);
            return List.of();
        } catch (MarkedYamlEngineException e) {
            // getMessage() would quote the offending line, which may hold a secret
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String message = e.getProblem() == null || e.getProblem().isBlank() ? "invalid YAML" : e.getProblem();
            if (e.getContext() != null && !e.getContext().isBlank()) {
                message = message + " (" + e.getContext().strip() + ")";
            }
            issues.add(new ConfigIssue(file, mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "", "YAML syntax error: " + message));
        } catch (YamlEngineException e) {
            issues.add(new ConfigIssue(file, 1, 1, "", "YAML error: " + e.getClass().getSimpleName()));
        }
        issues.addAll(tags);
        return documents;
    }

    /** The first line longer than {@link #MAX_LINE_CHARS}, checked before snakeyaml scans it. */
    private static ConfigIssue longLine(String text, Path file) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE_CHARS) {
                    return new ConfigIssue(file, line, MAX_LINE_CHARS + 1, "", "line " + line + " is longer than the limit of "
                            + String.format(Locale.ROOT, "%,d", MAX_LINE_CHARS) + " characters" + LIMITS);
                }
                line++;
                start = i + 1;
            }
        }
        return null;
    }

    /** A file broke one of the limits; reading it stops. */
    private static final class LimitExceeded extends RuntimeException {

        private final transient ConfigIssue issue;

        LimitExceeded(ConfigIssue issue) {
            super(issue.message(), null, false, false);
            this.issue = issue;
        }
    }

    /**
     * Checks every event as the composer takes it, so the composer never goes deeper than
     * {@link #MAX_DEPTH}, never holds a value longer than {@link #MAX_SCALAR_CHARS}, and aliases
     * never stand for more than {@link #MAX_VALUES} values.
     */
    private static final class LimitedParser implements Parser {

        private final Parser parser;
        private final Path file;
        private final List<ConfigIssue> tags;
        /** Values so far, each alias counted as the values of its anchor. */
        private long values;
        /** Expanded size of each anchored node, for the aliases to it. */
        private final Map<Anchor, Long> anchored = new HashMap<>();
        /** The open collections, innermost first. */
        private final Deque<Open> open = new ArrayDeque<>();

        /** An open collection: its anchor (or null) and the value count before it. */
        private record Open(Anchor anchor, long valuesBefore) {
        }

        LimitedParser(Parser parser, Path file, List<ConfigIssue> tags) {
            this.parser = parser;
            this.file = file;
            this.tags = tags;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            if (event instanceof ScalarEvent scalar) {
                tag(scalar, scalar.getTag());
                if (scalar.getValue().length() > MAX_SCALAR_CHARS) {
                    throw limit(event, "a value longer than the limit of " + String.format(Locale.ROOT, "%,d", MAX_SCALAR_CHARS)
                            + " characters; a long value such as a certificate can come from ${file:PATH}");
                }
                count(event, 1);
                scalar.getAnchor().ifPresent(a -> anchored.put(a, 1L));
            } else if (event instanceof CollectionStartEvent start) {
                tag(start, start.getTag());
                if (open.size() >= MAX_DEPTH) {
                    throw limit(event, "mappings and lists nested deeper than the limit of " + MAX_DEPTH + " levels");
                }
                open.push(new Open(start.getAnchor().orElse(null), values));
                count(event, 1);
            } else if (event instanceof CollectionEndEvent) {
                Open started = open.pop();
                if (started.anchor() != null) {
                    anchored.put(started.anchor(), values - started.valuesBefore());
                }
            } else if (event instanceof AliasEvent alias) {
                if (open.stream().anyMatch(o -> alias.getAlias().equals(o.anchor()))) {
                    // what it stands for would be infinite: every later step would recurse without end
                    throw new LimitExceeded(issue(event, "a YAML alias may not refer to a node that contains it"));
                }
                count(event, anchored.getOrDefault(alias.getAlias(), 1L));
            }
            return event;
        }

        private void count(Event event, long more) {
            values += more;
            if (values > MAX_VALUES) {
                throw limit(event, (event instanceof AliasEvent ? "aliases make" : "this makes")
                        + " the file hold more than the limit of " + String.format(Locale.ROOT, "%,d", MAX_VALUES)
                        + " values, counting each alias as every value it repeats");
            }
        }

        private void tag(Event at, Optional<String> tag) {
            tag.ifPresent(t -> {
                String written = t.startsWith(YAML_TAG_PREFIX) ? "!!" + t.substring(YAML_TAG_PREFIX.length()) : t;
                if (written.length() > 100) {
                    written = written.substring(0, 100) + "...";
                }
                tags.add(issue(at, "YAML tags are not supported (" + written + "); remove it"
                        + " (quote a value to make it text)"));
            });
        }

        private LimitExceeded limit(Event at, String message) {
            return new LimitExceeded(issue(at, message + LIMITS));
        }

        private ConfigIssue issue(Event at, String message) {
            Mark mark = at.getStartMark().orElse(null);
            return new ConfigIssue(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                    "", message);
        }
    }

    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    static int column(Node node) {
        return node.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
    }

    static ConfigIssue issue(Path file, Node at, String keyPath, String message) {
        return new ConfigIssue(file, line(at), column(at), keyPath, message);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    /** The text of a scalar key, or null for a mapping or sequence used as a key. */
    static String keyText(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
    }

    /** "a mapping", "a list" or "a plain value", for messages. */
    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "empty" : "a plain value";
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
