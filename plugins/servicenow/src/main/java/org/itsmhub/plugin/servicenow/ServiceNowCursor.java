package org.itsmhub.plugin.servicenow;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.error.DataMappingException;

/**
 * Where an incremental read continues: the newest {@code sys_updated_on} returned so far (whole
 * seconds, UTC) and the sys_ids already returned with exactly that timestamp. The next read asks for
 * {@code sys_updated_on>=since}, skips those ids with {@code sysparm_offset} (they sort first, by
 * sys_id) and drops any that still come back, so a boundary second is neither lost nor repeated.
 * Encoded as {@code v1;<epoch seconds>;<id>,<id>...}.
 */
record ServiceNowCursor(Instant since, Set<String> idsAtSince) {

    ServiceNowCursor {
        idsAtSince = Set.copyOf(idsAtSince);
    }

    static ServiceNowCursor decode(Cursor cursor) {
        String[] parts = cursor.value().split(";", -1);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new DataMappingException("not a ServiceNow cursor: '" + cursor.value() + "'");
        }
        try {
            Instant since = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            Set<String> ids = new LinkedHashSet<>();
            if (!parts[2].isEmpty()) {
                ids.addAll(Arrays.asList(parts[2].split(",")));
            }
            ids.forEach(id -> ServiceNowQuery.requireSysId("cursor id", id));
            return new ServiceNowCursor(since, ids);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new DataMappingException("not a ServiceNow cursor: '" + cursor.value() + "'", e);
        } catch (IllegalArgumentException e) {
            throw new DataMappingException("not a ServiceNow cursor: " + e.getMessage(), e);
        }
    }

    Cursor encode() {
        return Cursor.of("v1;" + since.getEpochSecond() + ";" + String.join(",", idsAtSince.stream().sorted().toList()));
    }
}
