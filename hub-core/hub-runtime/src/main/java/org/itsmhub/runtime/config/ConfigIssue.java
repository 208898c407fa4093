package org.itsmhub.runtime.config;

import java.nio.file.Path;

/**
 * One problem found in a config or route template file, with where it is.
 *
 * @param file    the file the problem is in
 * @param line    1-based line
 * @param column  1-based column
 * @param keyPath the key the problem belongs to, e.g. {@code tenants.acme.syncs[0].schedule}; empty
 *                for the file as a whole
 * @param message what is wrong; never shows a secret value
 */
public record ConfigIssue(Path file, int line, int column, String keyPath, String message) {

    public ConfigIssue {
        keyPath = keyPath == null ? "" : keyPath;
        if (file == null || message == null || message.isBlank()) {
            throw new IllegalArgumentException("a config issue needs a file and a message");
        }
    }

    /** {@code FILE:LINE:COLUMN: key.path: message}, the format editors and CI logs link from. */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column + ": ";
        return keyPath.isEmpty() ? where + message : where + keyPath + ": " + message;
    }
}
