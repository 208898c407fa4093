package org.itsmhub.runtime.store;

import java.util.Locale;

/** What kind of record a link connects. Stored as the lower-case name ({@code ticket}, ...). */
public enum RecordKind {
    TICKET, ASSET, FINDING, COMMENT;

    String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecordKind fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
