package org.itsmhub.runtime.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the hub's config file.
 *
 * <p>{@link #read} parses the YAML into nodes that keep their line and column, reports duplicate
 * keys, and resolves {@code ${env:NAME}} and {@code ${file:PATH}} references in scalar values
 * (several per scalar are fine; {@code PATH} is relative to the config file's folder and one
 * trailing newline of the file is dropped). Any other {@code ${...}} is a problem at its own line
 * and column, since the text would otherwise reach a vendor as written. {@link #load} then
 * validates and binds the result with {@link HubConfigValidator}.
 *
 * <pre>{@code
 * LoadResult result = new ConfigLoader(plugins, flows, System::getenv).load(Path.of("config/hub.yaml"));
 * result.issues().forEach(System.err::println);   // FILE:LINE:COLUMN: key.path: message
 * HubConfig config = result.orElseThrow();
 * }</pre>
 *
 * <p>Stateless and thread-safe when the catalogs are.
 */
public final class ConfigLoader {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");
    /** What a reference written for a shell or another tool looks like: {@code ${NAME}}, {@code ${NAME:-default}}. */
    private static final Pattern SHELL_VARIABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(:-.*)?");
    /** {@code ${prefix:rest}} with a prefix that may be a misspelt resolver. */
    private static final Pattern PREFIXED = Pattern.compile("([A-Za-z]+)\\s*:(.*)");
    /** Reference text that is safe to repeat in a message: a name or path, not something that could be a secret. */
    private static final Pattern SHOWABLE = Pattern.compile("\\$\\{[A-Za-z0-9_.:/\\\\ -]{1,100}}");
    private static final List<String> RESOLVERS = List.of("env", "file");

    private final HubConfigValidator validator;
    private final Function<String, String> environment;

    /**
     * @param plugins     installed plugins
     * @param flows       route templates
     * @param environment looks up environment variables; returns null when unset (normally {@code System::getenv})
     */
    public ConfigLoader(PluginCatalog plugins, FlowCatalog flows, Function<String, String> environment) {
        this(new HubConfigValidator(plugins, flows), environment);
    }

    /**
     * For start-up, when the catalogs depend on the config's own {@code hub.plugins-dir} and
     * {@code hub.routes-dir}: each function gets the file's hub settings (defaults where they are
     * invalid) and returns the catalog, e.g. {@code hub -> RouteTemplateCatalog.read(hub.routesDir())}.
     */
    public ConfigLoader(Function<HubSettings, PluginCatalog> plugins, Function<HubSettings, FlowCatalog> flows,
            Function<String, String> environment) {
        this(new HubConfigValidator(plugins, flows), environment);
    }

    private ConfigLoader(HubConfigValidator validator, Function<String, String> environment) {
        this.validator = validator;
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** Reads, validates and binds the file: the config, or every problem found. Never throws for bad input. */
    public LoadResult load(Path file) {
        return validator.validate(read(file, environment));
    }

    /** Reads the file into YAML nodes and resolves references, without checking what the keys mean. */
    public static ConfigTree read(Path file, Function<String, String> environment) {
        List<ConfigIssue> issues = new ArrayList<>();
        String text = YamlNodes.readText(file, YamlNodes.MAX_FILE_BYTES, "the config file", issues).orElse(null);
        if (text == null) {
            return new ConfigTree(file, null, new IdentityHashMap<>(), Set.of(), issues);
        }
        List<Node> documents = YamlNodes.compose(text, file, issues);
        for (int i = 1; i < documents.size(); i++) {
            issues.add(YamlNodes.issue(file, documents.get(i), "",
                    "the config file must be one YAML document; remove the '---' separator"));
        }
        Node root = documents.isEmpty() ? null : documents.get(0);
        Walk walk = new Walk(file, text, environment, issues);
        if (root != null) {
            walk.visit(root, "");
        }
        return new ConfigTree(file, root, walk.resolved, walk.referenceValues, issues);
    }

    /**
     * The message for a {@code ${...}} the hub does not resolve: before this check such text went to
     * the vendor as it was written (e.g. as an API key), and only a live call showed it.
     */
    private static String unknownReference(String reference) {
        String inner = reference.substring(2, reference.length() - 1).strip();
        String shown = SHOWABLE.matcher(reference).matches() ? reference : null;
        String suggestion = null;
        String note = "";
        Matcher shell = SHELL_VARIABLE.matcher(inner);
        Matcher prefixed = PREFIXED.matcher(inner);
        if (shell.matches()) {
            suggestion = "${env:" + shell.group(1) + "}";
            if (shell.group(2) != null) {
                shown = "${" + shell.group(1) + ":-...}"; // the default may be a secret
                note = "; defaults are not supported";
            }
        } else if (prefixed.matches()) {
            String prefix = prefixed.group(1).toLowerCase(java.util.Locale.ROOT);
            String resolver = prefix.startsWith("env") ? "env" : Suggestions.closest(prefix, RESOLVERS).orElse(null);
            if (resolver != null) {
                suggestion = "${" + resolver + ":" + prefixed.group(2).strip() + "}";
            }
        }
        if (shown == null) {
            return "this ${...} is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}";
        }
        return shown + " is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}"
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)") + note;
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName();
    }

    /** One pass over the nodes: duplicate keys, references. Aliased nodes are visited once. */
    private static final class Walk {

        private final Path file;
        private final List<String> lines;
        private final Path folder;
        private final Function<String, String> environment;
        private final List<ConfigIssue> issues;
        private final IdentityHashMap<Node, ConfigTree.Resolved> resolved = new IdentityHashMap<>();
        private final Set<String> referenceValues = new LinkedHashSet<>();
        private final Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());

        Walk(Path file, String text, Function<String, String> environment, List<ConfigIssue> issues) {
            this.file = file;
            this.lines = List.of(text.split("\r\n|\r|\n", -1));
            Path parent = file.toAbsolutePath().getParent();
            this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
            this.environment = environment;
            this.issues = issues;
        }

        void visit(Node node, String path) {
            if (!visited.add(node)) {
                return;
            }
            if (node.isRecursive()) {
                issues.add(YamlNodes.issue(file, node, path, "a YAML alias may not refer to a node that contains it"));
                return;
            }
            if (node instanceof MappingNode mapping) {
                Map<String, Node> seen = new HashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    String key = YamlNodes.keyText(tuple);
                    if (key == null) {
                        continue; // the validator reports keys that are not plain names
                    }
                    Node first = seen.putIfAbsent(key, tuple.getKeyNode());
                    String childPath = YamlNodes.child(path, key);
                    if (first != null) {
                        issues.add(YamlNodes.issue(file, tuple.getKeyNode(), childPath,
                                "duplicate key (first defined at line " + YamlNodes.line(first) + ")"));
                    }
                    visit(tuple.getValueNode(), childPath);
                }
            } else if (node instanceof SequenceNode sequence) {
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    visit(items.get(i), path + "[" + i + "]");
                }
            } else if (node instanceof ScalarNode scalar) {
                resolve(scalar, path);
            }
        }

        private void resolve(ScalarNode scalar, String path) {
            String value = scalar.getValue();
            int open = value.indexOf("${");
            if (open < 0) {
                return;
            }
            StringBuilder text = new StringBuilder();
            boolean failed = false;
            int last = 0;
            SourcePosition at = new SourcePosition(scalar);
            while (open >= 0) {
                text.append(value, last, open);
                int close = value.indexOf('}', open + 2);
                if (close < 0) {
                    at.issue("${", path, "'${' without a closing '}'; write ${env:NAME} or ${file:PATH}"
                            + " (a value that must hold '${' itself can come from ${env:...} or ${file:...})");
                    failed = true;
                    last = value.length();
                    break;
                }
                String reference = value.substring(open, close + 1);
                Matcher m = REFERENCE.matcher(reference);
                String resolvedValue = null;
                if (m.matches()) {
                    resolvedValue = "env".equals(m.group(1)) ? env(m.group(2).strip(), scalar, path)
                            : file(m.group(2).strip(), scalar, path);
                } else {
                    at.issue(reference, path, unknownReference(reference));
                }
                if (resolvedValue == null) {
                    failed = true;
                } else {
                    text.append(resolvedValue);
                    referenceValues.add(resolvedValue);
                }
                last = close + 1;
                open = value.indexOf("${", last);
            }
            text.append(value.substring(last));
            resolved.put(scalar, new ConfigTree.Resolved(text.toString(), failed));
        }

        /**
         * Where a reference is in the file: the scalar's own position is where its value starts, so
         * each reference is searched for in the source lines the scalar spans (the first occurrence
         * after the previous one); when escapes or folding hide it, the scalar's position is used.
         */
        private final class SourcePosition {

            private final ScalarNode scalar;
            private final int endLine;
            private int line;
            private int column;

            SourcePosition(ScalarNode scalar) {
                this.scalar = scalar;
                this.line = YamlNodes.line(scalar) - 1;
                this.column = YamlNodes.column(scalar) - 1;
                this.endLine = scalar.getEndMark().map(m -> m.getLine()).orElse(line);
            }

            void issue(String reference, String path, String message) {
                for (int l = line; l <= endLine && l < lines.size(); l++) {
                    String source = lines.get(l);
                    int from = l == line ? offset(source, column) : 0;
                    int found = from < 0 ? -1 : source.indexOf(reference, from);
                    if (found >= 0) {
                        line = l;
                        column = source.codePointCount(0, found) + 1;
                        issues.add(new ConfigIssue(file, l + 1, column, path, message));
                        return;
                    }
                }
                issues.add(YamlNodes.issue(file, scalar, path, message));
            }

            private static int offset(String source, int codePoints) {
                try {
                    return source.offsetByCodePoints(0, codePoints);
                } catch (IndexOutOfBoundsException e) {
                    return -1;
                }
            }
        }

        private String env(String name, ScalarNode at, String path) {
            if (name.isEmpty()) {
                issues.add(YamlNodes.issue(file, at, path, "${env:} needs a variable name"));
                return null;
            }
            String value = environment.apply(name);
            if (value == null) {
                issues.add(YamlNodes.issue(file, at, path, "environment variable " + name + " is not set"));
            }
            return value;
        }

        private String file(String spec, ScalarNode at, String path) {
            if (spec.isEmpty()) {
                issues.add(YamlNodes.issue(file, at, path, "${file:} needs a path"));
                return null;
            }
            Path target;
            try {
                target = folder.resolve(spec).normalize();
            } catch (InvalidPathException e) {
                issues.add(YamlNodes.issue(file, at, path, "${file:" + spec + "} is not a valid path"));
                return null;
            }
            try {
                String content = YamlNodes.readAtMost(target, YamlNodes.MAX_SCALAR_CHARS);
                if (content == null) {
                    issues.add(YamlNodes.issue(file, at, path, "file " + target + " is larger than the limit of "
                            + YamlNodes.size(YamlNodes.MAX_SCALAR_CHARS) + YamlNodes.LIMITS));
                    return null;
                }
                if (content.endsWith("\r\n")) {
                    return content.substring(0, content.length() - 2);
                }
                return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            } catch (IOException e) {
                issues.add(YamlNodes.issue(file, at, path, "cannot read file " + target + " (" + reason(e) + ")"));
                return null;
            }
        }
    }
}
