package org.itsmhub.api.model;

import java.util.Objects;

/**
 * Points at one record in one vendor system: the plugin id ({@code system}), the configured
 * connection it was read through, the vendor's own id and, when the vendor has one, a link a human
 * can open.
 *
 * @param system     plugin id, e.g. {@code "servicenow"}; never blank
 * @param connection connection id within the tenant, e.g. {@code "acme-snow"}; never blank
 * @param id         the vendor's id (Jira key, ServiceNow sys_id, Freshdesk number); never blank
 * @param url        a browser link to the record, or {@code null}
 */
public record ExternalRef(String system, String connection, String id, String url) {

    public ExternalRef {
        Checks.notBlank(system, "system");
        Checks.notBlank(connection, "connection");
        Checks.notBlank(id, "id");
    }

    public static ExternalRef of(String system, String connection, String id) {
        return new ExternalRef(system, connection, id, null);
    }

    /** Same record, with a browser link. */
    public ExternalRef withUrl(String newUrl) {
        return new ExternalRef(system, connection, id, newUrl);
    }

    /** Whether both point at the same record (the URL is not part of identity). */
    public boolean sameRecord(ExternalRef other) {
        return other != null && system.equals(other.system) && connection.equals(other.connection)
                && id.equals(other.id);
    }

    @Override
    public String toString() {
        return system + ":" + connection + "/" + id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExternalRef other && sameRecord(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, connection, id);
    }
}
