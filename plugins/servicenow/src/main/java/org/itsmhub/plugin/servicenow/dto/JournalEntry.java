package org.itsmhub.plugin.servicenow.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code sys_journal_field} record: a comment ({@code element = comments}) or work note
 * ({@code element = work_notes}) on the record {@code element_id}.
 */
public record JournalEntry(String sysId, String elementId, String element, String value, String sysCreatedOn,
        String sysCreatedBy) {

    public static final String FIELDS = "sys_id,element_id,element,value,sys_created_on,sys_created_by";

    public static JournalEntry of(JsonNode r) {
        return new JournalEntry(Fields.raw(r, "sys_id"), Fields.raw(r, "element_id"), Fields.raw(r, "element"),
                Fields.raw(r, "value"), Fields.raw(r, "sys_created_on"), Fields.raw(r, "sys_created_by"));
    }
}
