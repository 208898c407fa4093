package org.itsmhub.api.model;

/**
 * The canonical priority, P1 (critical) to P4 (low).
 *
 * <p>Vendors that derive priority from impact and urgency (ServiceNow) or that only know four
 * values (Freshdesk: urgent, high, medium, low) map onto these; per-connection tables may override
 * the defaults.
 */
public enum Priority {
    P1, P2, P3, P4;

    /**
     * The default impact × urgency matrix: the sum of both codes decides
     * (2 → P1, 3 → P2, 4 → P3, 5 or 6 → P4), so high/high is P1, high/medium P2, medium/medium and
     * high/low P3, everything lower P4.
     */
    public static Priority fromImpactAndUrgency(Level impact, Level urgency) {
        int score = impact.code() + urgency.code();
        return switch (score) {
            case 2 -> P1;
            case 3 -> P2;
            case 4 -> P3;
            default -> P4;
        };
    }

    /** 1 for P1 ... 4 for P4. */
    public int number() {
        return ordinal() + 1;
    }

    public static Priority ofNumber(int number) {
        if (number < 1 || number > 4) {
            throw new IllegalArgumentException("priority must be 1 to 4, was " + number);
        }
        return values()[number - 1];
    }

    /** A default impact for writing this priority to a system that wants impact and urgency. */
    public Level defaultImpact() {
        return switch (this) {
            case P1, P2 -> Level.HIGH;
            case P3 -> Level.MEDIUM;
            case P4 -> Level.LOW;
        };
    }

    /** A default urgency for writing this priority to a system that wants impact and urgency. */
    public Level defaultUrgency() {
        return switch (this) {
            case P1 -> Level.HIGH;
            case P2, P3 -> Level.MEDIUM;
            case P4 -> Level.LOW;
        };
    }
}
