package org.itsmhub.runtime.store;

/**
 * One side of a link: a record in one system, reached through one connection.
 *
 * @param system       system type, e.g. {@code servicenow}
 * @param connectionId the hub connection the record is read and written through
 * @param recordId     the record's id in that system
 * @param url          link to the record for humans; may be null
 */
public record RecordRef(String system, String connectionId, String recordId, String url) {

    public RecordRef {
        Require.notBlank(system, "system");
        Require.notBlank(connectionId, "connectionId");
        Require.notBlank(recordId, "recordId");
    }

    public RecordRef(String system, String connectionId, String recordId) {
        this(system, connectionId, recordId, null);
    }
}
