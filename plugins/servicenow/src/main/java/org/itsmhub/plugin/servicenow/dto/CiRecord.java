package org.itsmhub.plugin.servicenow.dto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a configuration item (cmdb_ci and cmdb_ci_computer) the connector writes or reads
 * back, as raw values; a field the record does not have reads as {@code null}.
 *
 * @see <a href="https://www.servicenow.com/docs/r/servicenow-platform/configuration-management-database-cmdb/class-computer.html">Computer [cmdb_ci_computer] class</a>
 */
public record CiRecord(String sysId, Map<String, String> values) {

    /** The fields compared and written (besides sys_id). */
    public static final List<String> WRITTEN = List.of("name", "serial_number", "mac_address", "ip_address", "fqdn",
            "dns_domain", "os", "os_version", "last_discovered", "discovery_source", "correlation_id",
            "short_description");

    /** The fields asked for with {@code sysparm_fields}. */
    public static final String FIELDS = "sys_id," + String.join(",", WRITTEN)
            + ",install_status,sys_class_name,sys_updated_on";

    public CiRecord {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static CiRecord of(JsonNode r) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String f : FIELDS.split(",")) {
            String v = Fields.raw(r, f);
            if (v != null) {
                values.put(f, v);
            }
        }
        return new CiRecord(Fields.raw(r, "sys_id"), values);
    }

    public String value(String field) {
        return values.get(field);
    }
}
