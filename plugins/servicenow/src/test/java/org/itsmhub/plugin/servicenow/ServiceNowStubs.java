package org.itsmhub.plugin.servicenow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** ServiceNow payloads for stubs, in the Table API's own format. */
final class ServiceNowStubs {

    static final String USER = "itsm.hub";
    static final String INCIDENTS = "/api/now/table/incident";
    static final String JOURNAL = "/api/now/table/sys_journal_field";

    private ServiceNowStubs() {
    }

    static String resource(String name) {
        try (InputStream in = ServiceNowStubs.class.getResourceAsStream("/servicenow/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource servicenow/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sys_id made from a number, 32 hex digits. */
    static String sysId(int n) {
        return String.format("%032x", n + 0xa00000L);
    }

    static String ts(Instant t) {
        return ServiceNowQuery.TIMESTAMP.format(t);
    }

    /** One incident as the Table API returns it with sysparm_exclude_reference_link=true. */
    static String incident(int n, Instant updated) {
        return """
                {"sys_id":"%s","number":"INC%07d","short_description":"Printer %d is jammed","description":"Tray 2",\
                "state":"2","incident_state":"2","priority":"3","impact":"2","urgency":"2","caller_id":"%s",\
                "assigned_to":"","assignment_group":"","category":"hardware","company":"","opened_by":"%s",\
                "correlation_id":"","correlation_display":"","close_code":"","sys_class_name":"incident",\
                "sys_created_on":"2026-01-01 08:00:00","sys_updated_on":"%s"}"""
                .formatted(sysId(n), n, n, sysId(9000), sysId(9000), ts(updated));
    }

    static String result(List<String> records) {
        return records.stream().collect(Collectors.joining(",", "{\"result\":[", "]}"));
    }

    /** The Link header ServiceNow sends, with rel="next" when another page exists. */
    static String link(String baseUrl, int limit, int offset, boolean next) {
        String page = baseUrl + INCIDENTS + "?sysparm_limit=" + limit + "&sysparm_offset=";
        return "<" + page + "0>;rel=\"first\"" + (next ? ",<" + page + (offset + limit) + ">;rel=\"next\"" : "")
                + ",<" + page + offset + ">;rel=\"last\"";
    }
}
