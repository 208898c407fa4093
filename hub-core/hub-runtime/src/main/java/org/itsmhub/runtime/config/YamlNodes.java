package org.itsmhub.runtime.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Reading YAML into nodes (snakeyaml-engine's compose step) and the positions of nodes. */
final class YamlNodes {

    private YamlNodes() {
    }

    /** Every document of {@code text}; a syntax error becomes one issue at the position snakeyaml reports. */
    static List<Node> compose(String text, Path file, List<ConfigIssue> issues) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchema())
                .build();
        List<Node> documents = new ArrayList<>();
        try {
            for (Node document : new Compose(settings).composeAllFromString(text)) {
                documents.add(document);
            }
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
        return documents;
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
