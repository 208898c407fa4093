package org.itsmhub.plugin.jira;

import java.util.regex.Pattern;

/**
 * Puts values into JQL only as quoted string literals (backslash first, then the double quote,
 * then control characters escaped) or as validated digits, so a value can never become JQL syntax.
 * https://support.atlassian.com/jira-software-cloud/docs/advanced-search-reference-jql-fields/
 */
final class Jql {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private Jql() {
    }

    /** {@code value} as a JQL string literal. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"");
        for (char c : escaped.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** An id, checked to be digits only. */
    static String id(String value, String what) {
        if (value == null || !DIGITS.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a numeric id, was '" + value + "'");
        }
        return value;
    }

    /** The JQL name of a custom field: {@code customfield_10050} → {@code cf[10050]}. */
    static String customField(String fieldId) {
        return "cf[" + id(fieldId.substring("customfield_".length()), "custom field") + "]";
    }
}
