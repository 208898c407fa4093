package org.itsmhub.runtime.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives.
 *
 * @param url      JDBC URL, {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user     database user; may be null (H2 then uses the empty user name)
 * @param password database password; may be null. Never printed: {@link #toString()} hides it
 */
public record StoreSettings(String url, String user, String password) {

    /** The default store: an H2 file under {@code ./data}. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/hub";

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("url must not be blank");
        }
    }

    /** The default embedded H2 store, user {@code sa}, empty password. */
    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_URL, "sa", "");
    }

    /** An embedded H2 store in the given file (without the {@code .mv.db} suffix). */
    public static StoreSettings h2File(Path file) {
        return new StoreSettings("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "");
    }

    /** The URL with any {@code password=...} parameter masked, safe for logs and messages. */
    public String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1[hidden]");
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + redactedUrl() + ", user=" + user + ", password=[hidden]]";
    }
}
