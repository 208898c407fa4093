package org.itsmhub.plugin.servicenow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds encoded queries ({@code sysparm_query}). Encoded queries have no escaping: {@code ^} joins
 * conditions, {@code ^OR} and {@code ^NQ} open alternatives. So every value that comes from data is
 * either a sys_id checked against 32 hex digits, a timestamp we format ourselves, or a value refused
 * when it holds {@code ^}, a line break or a control character. The only {@code ^OR} in a query is the
 * connector's own.
 */
final class ServiceNowQuery {

    /** Table API date-time values: {@code yyyy-MM-dd HH:mm:ss}, UTC. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final List<String> terms = new ArrayList<>();

    static ServiceNowQuery where() {
        return new ServiceNowQuery();
    }

    ServiceNowQuery updatedAtOrAfter(Instant since) {
        terms.add("sys_updated_on>=" + TIMESTAMP.format(since));
        return this;
    }

    ServiceNowQuery sysIdEquals(String field, String sysId) {
        terms.add(field + "=" + requireSysId(field, sysId));
        return this;
    }

    ServiceNowQuery valueEquals(String field, String value) {
        terms.add(field + "=" + requireLiteral(field, value));
        return this;
    }

    /**
     * {@code field IN v1,v2,...}: each value a literal without a comma, since {@code IN} splits at
     * commas and has no escape.
     */
    ServiceNowQuery valueIn(String field, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(field + " IN needs at least one value");
        }
        for (String v : values) {
            if (requireLiteral(field, v).indexOf(',') >= 0) {
                throw new IllegalArgumentException(field + " IN values must not contain ',', was '" + v + "'");
            }
        }
        terms.add(field + "IN" + String.join(",", values));
        return this;
    }

    /** {@code element=comments^ORelement=work_notes}: the connector's own OR. */
    ServiceNowQuery journalElements() {
        terms.add("element=comments^ORelement=work_notes");
        return this;
    }

    ServiceNowQuery orderBy(String field) {
        terms.add("ORDERBY" + field);
        return this;
    }

    ServiceNowQuery orderByDesc(String field) {
        terms.add("ORDERBYDESC" + field);
        return this;
    }

    String build() {
        return String.join("^", terms);
    }

    static boolean isSysId(String value) {
        return value != null && ServiceNowConnectorConfig.SYS_ID.matcher(value).matches();
    }

    static String requireSysId(String what, String value) {
        if (!isSysId(value)) {
            throw new IllegalArgumentException(what + " must be a ServiceNow sys_id (32 hex digits), was '"
                    + value + "'");
        }
        return value;
    }

    /** A literal for {@code field=value}: refused when it could change the query's meaning. */
    static String requireLiteral(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > 100) {
            throw new IllegalArgumentException(what + " must be 1 to 100 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '^' || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " must not contain '^' or control characters "
                        + "(they would change the encoded query)");
            }
        }
        return value;
    }
}
