package org.itsmhub.api.config;

/**
 * The types a config key can have, and how each is read from YAML (or from the string an
 * {@code ${env:...}} reference yields).
 */
public enum ConfigType {
    /** Text. */
    STRING,
    /** A 32-bit whole number. */
    INT,
    /** A 64-bit whole number. */
    LONG,
    /** A decimal number. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A YAML list, or a comma-separated string. Elements are strings. */
    LIST,
    /** A YAML map of string to string (for mapping tables). */
    MAP,
    /** ISO-8601 ({@code PT15M}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}. */
    DURATION,
    /** An absolute {@code http} or {@code https} URL. */
    URL,
    /** Text that must never be shown: read as {@link Secret}. */
    SECRET
}
