package org.itsmhub.runtime.plugin;

/**
 * A plugin the hub could not use, and why. The hub keeps running with the other plugins.
 *
 * @param plugin  the plugin id when it is known, otherwise the file or folder name in the plugins
 *                directory (e.g. {@code freshdesk-0.1.0.zip})
 * @param message what went wrong and, where possible, how to fix it
 */
public record PluginProblem(String plugin, String message) {

    public PluginProblem {
        if (plugin == null || plugin.isBlank()) {
            throw new IllegalArgumentException("a plugin problem names the plugin or its file");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a plugin problem needs a message");
        }
    }

    @Override
    public String toString() {
        return plugin + ": " + message;
    }
}
