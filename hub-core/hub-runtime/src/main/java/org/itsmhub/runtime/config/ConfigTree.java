package org.itsmhub.runtime.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A config file as read by {@link ConfigLoader#read}: its YAML nodes (with positions), the text of
 * every scalar that held a {@code ${env:...}} or {@code ${file:...}} reference after resolving it,
 * and the problems found so far (syntax, duplicate keys, references that could not be resolved).
 * {@link HubConfigValidator} takes it from here.
 */
public final class ConfigTree {

    private final Path file;
    private final Node root;
    private final Map<Node, Resolved> resolved;
    private final Set<String> referenceValues;
    private final List<ConfigIssue> issues;

    /** A scalar that held references: its text with them resolved, and whether one failed. */
    record Resolved(String text, boolean failed) {
    }

    ConfigTree(Path file, Node root, IdentityHashMap<Node, Resolved> resolved, Set<String> referenceValues,
            List<ConfigIssue> issues) {
        this.file = file;
        this.root = root;
        this.resolved = Collections.unmodifiableMap(new IdentityHashMap<>(resolved));
        this.referenceValues = Collections.unmodifiableSet(new LinkedHashSet<>(referenceValues));
        this.issues = List.copyOf(issues);
    }

    public Path file() {
        return file;
    }

    /** Problems found while reading; the validator adds its own. */
    public List<ConfigIssue> issues() {
        return issues;
    }

    /** The document's root node; empty for an empty or unreadable file. */
    Optional<Node> root() {
        return Optional.ofNullable(root);
    }

    /** A scalar's text, references resolved. */
    String text(ScalarNode node) {
        Resolved r = resolved.get(node);
        return r == null ? node.getValue() : r.text();
    }

    /** Whether the scalar's text came (partly) from a reference: its value must not be shown. */
    boolean fromReference(Node node) {
        return resolved.containsKey(node);
    }

    /** Whether a reference in the scalar could not be resolved (that problem is already reported). */
    boolean unresolved(Node node) {
        Resolved r = resolved.get(node);
        return r != null && r.failed();
    }

    /** Whether the node or anything below it came from a reference. */
    boolean containsReference(Node node) {
        return anyScalar(node, this::fromReference, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** Whether the node or anything below it holds a reference that could not be resolved. */
    boolean containsUnresolved(Node node) {
        return anyScalar(node, this::unresolved, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** Every value that came from a reference. */
    Set<String> referenceValues() {
        return referenceValues;
    }

    private static boolean anyScalar(Node node, java.util.function.Predicate<Node> test, Set<Node> seen) {
        if (node == null || !seen.add(node)) {
            return false;
        }
        if (node instanceof ScalarNode) {
            return test.test(node);
        }
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (anyScalar(t.getValueNode(), test, seen)) {
                    return true;
                }
            }
        } else if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                if (anyScalar(item, test, seen)) {
                    return true;
                }
            }
        }
        return false;
    }
}
