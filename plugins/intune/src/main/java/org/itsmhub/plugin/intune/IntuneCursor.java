package org.itsmhub.plugin.intune;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.error.DataMappingException;

/**
 * Where a sweep over the managed devices stands. Graph has no change feed for managedDevices, and a
 * device that stopped checking in only shows up in a full listing, so every cycle reads the whole
 * list: mid-sweep the cursor holds Graph's {@code @odata.nextLink} ({@code next:<link>}); after the
 * last page it records when the sweep ended ({@code swept:<instant>}) and the next read starts a new
 * sweep from the first page.
 *
 * @param nextLink the page to read next, or null when the last sweep is complete
 * @param sweptAt  when the last sweep completed, or null mid-sweep
 */
record IntuneCursor(String nextLink, Instant sweptAt) {

    private static final String NEXT = "next:";
    private static final String SWEPT = "swept:";

    static IntuneCursor next(String nextLink) {
        return new IntuneCursor(nextLink, null);
    }

    static IntuneCursor swept(Instant at) {
        return new IntuneCursor(null, at);
    }

    boolean midSweep() {
        return nextLink != null;
    }

    Cursor encode() {
        return Cursor.of(midSweep() ? NEXT + nextLink : SWEPT + sweptAt);
    }

    static IntuneCursor decode(Cursor cursor) {
        String v = cursor.value();
        try {
            if (v.startsWith(NEXT) && v.length() > NEXT.length()) {
                return next(v.substring(NEXT.length()));
            }
            if (v.startsWith(SWEPT)) {
                return swept(Instant.parse(v.substring(SWEPT.length())));
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new DataMappingException("not an Intune cursor: '" + v + "'");
    }
}
