package org.itsmhub.plugin.jira;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The position of a Jira read, opaque to the hub. Between cycles: the latest {@code updated} seen
 * ({@code high}, epoch millis) and the {@code KEY@updated} pairs already returned within the
 * lookback overlap ({@code seen}), so re-reading the overlap returns only real changes. Within a
 * cycle also the query's lower bound ({@code from}) and Jira's {@code nextPageToken}, because a
 * token is only valid for the same JQL. {@code floor} (epoch millis) is the first read's start while
 * a re-read can still reach before it: nothing changed earlier is returned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JiraCursor(Long from, String token, Long high, List<String> seen, Long floor) {

    static final JiraCursor START = new JiraCursor(null, null, null, List.of(), null);
    private static final String PREFIX = "jira1:";
    private static final int MAX_SEEN = 5000;

    JiraCursor {
        seen = seen == null ? List.of() : List.copyOf(seen);
    }

    static JiraCursor decode(Cursor cursor) {
        if (cursor == null) {
            return START;
        }
        String value = cursor.value();
        if (!value.startsWith(PREFIX)) {
            throw new DataMappingException("Jira cursor '" + value + "' was not written by this connector");
        }
        return JsonCodec.read(new java.io.ByteArrayInputStream(
                value.substring(PREFIX.length()).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                JiraCursor.class, "Jira cursor");
    }

    Cursor encode() {
        return Cursor.of(PREFIX + JsonCodec.write(this));
    }

    static String seenKey(String key, long updated) {
        return key + "@" + updated;
    }

    /** Keeps the pairs that can still be re-read: updated at or after {@code keepFrom}; at most MAX_SEEN. */
    static List<String> prune(Collection<String> seen, long keepFrom) {
        List<String> kept = new ArrayList<>();
        for (String s : new LinkedHashSet<>(seen)) {
            long at = Long.parseLong(s.substring(s.lastIndexOf('@') + 1));
            if (at >= keepFrom) {
                kept.add(s);
            }
        }
        return kept.size() <= MAX_SEEN ? kept : kept.subList(kept.size() - MAX_SEEN, kept.size());
    }
}
