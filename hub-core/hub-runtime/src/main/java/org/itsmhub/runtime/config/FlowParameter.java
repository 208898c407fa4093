package org.itsmhub.runtime.config;

/**
 * One parameter a route template declares.
 *
 * @param name         the parameter name, e.g. {@code left-connection}
 * @param required     whether a sync must set it (Camel: no default and not {@code required: false})
 * @param defaultValue the default, or null
 * @param description  what it is for, or null
 */
public record FlowParameter(String name, boolean required, String defaultValue, String description) {

    public FlowParameter {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a flow parameter needs a name");
        }
    }
}
