package org.itsmhub.api.config;

import java.util.Objects;

/**
 * A secret config value (password, API key, token, client secret). Its {@link #toString()} is
 * {@code [hidden]}, so a secret that ends up in a log line or an exception message by accident
 * leaks nothing. Call {@link #reveal()} only where the value goes on the wire.
 */
public final class Secret {

    private static final String HIDDEN = "[hidden]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself. Never log it. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
