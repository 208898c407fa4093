package org.itsmhub.api.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks one already-typed value. Returns a message when the value is not acceptable; the message
 * must not echo a secret value.
 */
@FunctionalInterface
public interface ConfigValidator {

    /** @return empty when {@code value} is fine, otherwise what is wrong with it */
    Optional<String> check(Object value);

    /** The value must be one of the given strings (case-sensitive). */
    static ConfigValidator oneOf(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        return value -> list.contains(String.valueOf(value))
                ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", list) + ", was '" + value + "'");
    }

    /** A number within [min, max]. */
    static ConfigValidator between(long min, long max) {
        return value -> {
            long v = ((Number) value).longValue();
            return v >= min && v <= max ? Optional.empty()
                    : Optional.of("must be between " + min + " and " + max + ", was " + v);
        };
    }

    /** A string that is not blank. */
    static ConfigValidator notBlank() {
        return value -> value == null || value.toString().isBlank() || (value instanceof Secret s && s.isEmpty())
                ? Optional.of("must not be empty")
                : Optional.empty();
    }

    /** A string matching the regular expression. */
    static ConfigValidator matches(String regex, String description) {
        Pattern pattern = Pattern.compile(regex);
        return value -> pattern.matcher(value.toString()).matches() ? Optional.empty()
                : Optional.of("must be " + description + ", was '" + value + "'");
    }

    /** A URL whose scheme is https (plain http only on a loopback host, for sandboxes and tests). */
    static ConfigValidator httpsOrLoopback() {
        return value -> {
            URI uri = (URI) value;
            if ("https".equals(uri.getScheme())) {
                return Optional.empty();
            }
            String host = uri.getHost();
            boolean loopback = "localhost".equals(host) || (host != null && host.startsWith("127."))
                    || "[::1]".equals(host) || "::1".equals(host);
            return loopback ? Optional.empty()
                    : Optional.of("must use https (plain http is only accepted for localhost), was '" + value + "'");
        };
    }
}
