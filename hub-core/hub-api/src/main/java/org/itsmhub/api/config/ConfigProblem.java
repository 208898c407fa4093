package org.itsmhub.api.config;

/**
 * One thing wrong with a configuration, reported against the key that is responsible.
 *
 * <p>Validation collects every problem instead of stopping at the first; the hub adds the file,
 * line and column and the full key path before showing it to the admin. Messages never contain the
 * value of a secret.
 *
 * @param key     the key the problem belongs to, relative to the object validated (a connection's
 *                own keys for a connector); may be empty for the object itself
 * @param message what is wrong and, where possible, how to fix it
 */
public record ConfigProblem(String key, String message) {

    public ConfigProblem {
        key = key == null ? "" : key;
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a config problem needs a message");
        }
    }

    @Override
    public String toString() {
        return key.isEmpty() ? message : key + ": " + message;
    }
}
