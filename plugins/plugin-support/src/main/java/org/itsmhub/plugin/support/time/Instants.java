package org.itsmhub.plugin.support.time;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants at a vendor's precision. */
public final class Instants {

    private Instants() {
    }

    /**
     * {@code t} rounded up to whole {@code unit}s. A read that starts at {@code t} against a vendor
     * whose change times are whole seconds asks for {@code >= ceil(t)}: rounding down would return
     * records changed before {@code t}, and nothing lies between {@code t} and the next whole second.
     */
    public static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(1, unit);
    }
}
