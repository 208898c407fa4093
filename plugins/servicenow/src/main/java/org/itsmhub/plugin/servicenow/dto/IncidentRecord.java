package org.itsmhub.plugin.servicenow.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of an incident (task) record the connector maps, as raw values.
 *
 * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html">Table API</a>
 */
public record IncidentRecord(String sysId, String number, String shortDescription, String description, String state,
        String priority, String impact, String urgency, String callerId, String assignedTo, String assignmentGroup,
        String category, String company, String openedBy, String correlationId, String correlationDisplay,
        String closeCode, String closeNotes, String sysClassName, String sysCreatedOn, String sysUpdatedOn) {

    /** The fields asked for with {@code sysparm_fields}. */
    public static final String FIELDS = "sys_id,number,short_description,description,state,incident_state,priority,"
            + "impact,urgency,caller_id,assigned_to,assignment_group,category,company,opened_by,correlation_id,"
            + "correlation_display,close_code,close_notes,sys_class_name,sys_created_on,sys_updated_on";

    public static IncidentRecord of(JsonNode r) {
        String state = Fields.raw(r, "state");
        return new IncidentRecord(Fields.raw(r, "sys_id"), Fields.raw(r, "number"), Fields.raw(r, "short_description"),
                Fields.raw(r, "description"), state != null ? state : Fields.raw(r, "incident_state"),
                Fields.raw(r, "priority"), Fields.raw(r, "impact"), Fields.raw(r, "urgency"),
                Fields.raw(r, "caller_id"), Fields.raw(r, "assigned_to"), Fields.raw(r, "assignment_group"),
                Fields.raw(r, "category"), Fields.raw(r, "company"), Fields.raw(r, "opened_by"),
                Fields.raw(r, "correlation_id"), Fields.raw(r, "correlation_display"), Fields.raw(r, "close_code"),
                Fields.raw(r, "close_notes"), Fields.raw(r, "sys_class_name"), Fields.raw(r, "sys_created_on"), Fields.raw(r, "sys_updated_on"));
    }
}
