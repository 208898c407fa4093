package org.itsmhub.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The flows of a routes folder: every {@code routeTemplate} in its {@code *.yaml} and {@code *.yml}
 * files (Camel YAML DSL; the folder itself, not sub-folders). Parameters follow Camel's rules: one
 * without {@code defaultValue} is required unless it says {@code required: false}.
 *
 * <p>Only ids and parameters are read here; Camel loads the routes themselves. Problems (a file
 * that is not YAML, a template without id, an id defined twice) are kept as {@link #issues()} with
 * the template file's line and column. Immutable once read.
 */
public final class RouteTemplateCatalog implements FlowCatalog {

    private static final String ROUTE_TEMPLATE = "routeTemplate";

    private final Path routesDir;
    private final Map<String, FlowTemplate> templates = new LinkedHashMap<>();
    private final Map<String, Path> files = new HashMap<>();
    private final Map<String, Node> idNodes = new HashMap<>();
    private final List<ConfigIssue> issues = new ArrayList<>();

    private RouteTemplateCatalog(Path routesDir) {
        this.routesDir = routesDir;
    }

    /** Reads every template file of the folder. Never throws: problems become {@link #issues()}. */
    public static RouteTemplateCatalog read(Path routesDir) {
        RouteTemplateCatalog catalog = new RouteTemplateCatalog(routesDir);
        if (!Files.isDirectory(routesDir)) {
            catalog.issues.add(new ConfigIssue(routesDir, 1, 1, "", "routes folder not found (set hub.routes-dir)"));
            return catalog;
        }
        List<Path> yamlFiles;
        try (Stream<Path> list = Files.list(routesDir)) {
            yamlFiles = list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            catalog.issues.add(new ConfigIssue(routesDir, 1, 1, "",
                    "cannot list the routes folder (" + ConfigLoader.reason(e) + ")"));
            return catalog;
        }
        for (Path file : yamlFiles) {
            catalog.readFile(file);
        }
        return catalog;
    }

    @Override
    public Optional<FlowTemplate> find(String flowId) {
        return Optional.ofNullable(templates.get(flowId));
    }

    @Override
    public Set<String> ids() {
        return Collections.unmodifiableSet(templates.keySet());
    }

    @Override
    public List<ConfigIssue> issues() {
        return Collections.unmodifiableList(issues);
    }

    /** The file a template was read from, for loading it into Camel. */
    public Optional<Path> file(String flowId) {
        return Optional.ofNullable(files.get(flowId));
    }

    public Path routesDir() {
        return routesDir;
    }

    private void readFile(Path file) {
        String text = YamlNodes.readText(file, YamlNodes.MAX_FILE_BYTES, "the file", issues).orElse(null);
        if (text == null) {
            return;
        }
        for (Node document : YamlNodes.compose(text, file, issues)) {
            if (YamlNodes.isNull(document)) {
                continue;
            }
            if (!(document instanceof SequenceNode sequence)) {
                issues.add(YamlNodes.issue(file, document, "",
                        "a Camel YAML DSL file is a list of entries such as '- routeTemplate:', was " + YamlNodes.kind(document)));
                continue;
            }
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof MappingNode entry) {
                    for (NodeTuple tuple : entry.getValue()) {
                        if (ROUTE_TEMPLATE.equals(YamlNodes.keyText(tuple))) {
                            template(file, tuple, "[" + i + "]." + ROUTE_TEMPLATE);
                        }
                    }
                }
            }
        }
    }

    private void template(Path file, NodeTuple tuple, String path) {
        if (!(tuple.getValueNode() instanceof MappingNode body)) {
            issues.add(YamlNodes.issue(file, tuple.getKeyNode(), path, "a route template must be a mapping with id, parameters and from"));
            return;
        }
        Map<String, Node> keys = keys(body);
        String id = text(keys.get("id"));
        if (id == null || id.isBlank()) {
            issues.add(YamlNodes.issue(file, tuple.getKeyNode(), YamlNodes.child(path, "id"),
                    "a route template needs an id (the name syncs use in 'flow:')"));
            return;
        }
        Node idNode = keys.get("id");
        if (templates.containsKey(id)) {
            Node first = idNodes.get(id);
            issues.add(YamlNodes.issue(file, idNode, YamlNodes.child(path, "id"), "route template id '" + id
                    + "' is already defined at " + files.get(id) + ":" + YamlNodes.line(first) + ":" + YamlNodes.column(first)));
            return;
        }
        templates.put(id, new FlowTemplate(id, parameters(file, keys.get("parameters"), YamlNodes.child(path, "parameters"))));
        files.put(id, file);
        idNodes.put(id, idNode);
    }

    private List<FlowParameter> parameters(Path file, Node node, String path) {
        if (node == null || YamlNodes.isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            issues.add(YamlNodes.issue(file, node, path, "must be a list of parameters, each with a name"));
            return List.of();
        }
        Map<String, FlowParameter> parameters = new LinkedHashMap<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (!(items.get(i) instanceof MappingNode item)) {
                issues.add(YamlNodes.issue(file, items.get(i), itemPath, "a parameter must be a mapping with a name"));
                continue;
            }
            Map<String, Node> keys = keys(item);
            String name = text(keys.get("name"));
            if (name == null || name.isBlank()) {
                issues.add(YamlNodes.issue(file, item, YamlNodes.child(itemPath, "name"), "a parameter needs a name"));
                continue;
            }
            if (parameters.containsKey(name)) {
                issues.add(YamlNodes.issue(file, keys.get("name"), YamlNodes.child(itemPath, "name"),
                        "parameter '" + name + "' is declared twice"));
                continue;
            }
            String defaultValue = text(keys.get("defaultValue"));
            Node requiredNode = keys.get("required");
            boolean requiredUnlessDefault = true;
            if (requiredNode != null && !YamlNodes.isNull(requiredNode)) {
                if (requiredNode instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
                    requiredUnlessDefault = Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
                } else {
                    issues.add(YamlNodes.issue(file, requiredNode, YamlNodes.child(itemPath, "required"), "must be true or false"));
                }
            }
            parameters.put(name, new FlowParameter(name, requiredUnlessDefault && defaultValue == null, defaultValue,
                    text(keys.get("description"))));
        }
        return List.copyOf(parameters.values());
    }

    private static Map<String, Node> keys(MappingNode mapping) {
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = YamlNodes.keyText(t);
            if (key != null) {
                keys.putIfAbsent(key, t.getValueNode());
            }
        }
        return keys;
    }

    /** A scalar's text; null when absent, empty or not a plain value. */
    private static String text(Node node) {
        return node instanceof ScalarNode s && !YamlNodes.isNull(s) ? s.getValue() : null;
    }
}
