package org.itsmhub.plugin.freshdesk;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.support.json.JsonCodec;

/**
 * What the connector keeps in its opaque {@link Cursor}: the window's {@code updated_since}, the next
 * page in that window, the newest {@code updated_at} read so far, and the tickets already returned
 * inside the overlap (id → updated_at), so a ticket read twice at a window boundary is returned once.
 * Encoded as base64url JSON, prefixed with a version.
 */
record FreshdeskCursor(
        @JsonProperty("since") String since,
        @JsonProperty("page") int page,
        @JsonProperty("max") String max,
        @JsonProperty("seen") Map<String, String> seen) {

    private static final String PREFIX = "fd1:";

    FreshdeskCursor {
        seen = seen == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(seen));
    }

    static FreshdeskCursor start(Instant since) {
        return new FreshdeskCursor(FreshdeskClient.iso(since), 1, null, Map.of());
    }

    Instant sinceInstant() {
        return Instant.parse(since);
    }

    Cursor encode() {
        return Cursor.of(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                JsonCodec.write(this).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static FreshdeskCursor decode(Cursor cursor) {
        String v = cursor.value();
        if (!v.startsWith(PREFIX)) {
            throw new DataMappingException("Freshdesk cursor '" + v + "' was not made by this connector");
        }
        try {
            String json = new String(Base64.getUrlDecoder().decode(v.substring(PREFIX.length())),
                    java.nio.charset.StandardCharsets.UTF_8);
            FreshdeskCursor c = JsonCodec.mapper().readValue(json, FreshdeskCursor.class);
            Instant.parse(c.since());
            return c;
        } catch (java.io.IOException | RuntimeException e) {
            throw new DataMappingException("Freshdesk cursor '" + v + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
