package org.itsmhub.api.model;

/**
 * A three-step scale used for both impact and urgency, as in ITIL and ServiceNow
 * ({@code 1 = High}, {@code 2 = Medium}, {@code 3 = Low}).
 */
public enum Level {
    HIGH(1), MEDIUM(2), LOW(3);

    private final int code;

    Level(int code) {
        this.code = code;
    }

    /** 1 for high, 2 for medium, 3 for low. */
    public int code() {
        return code;
    }

    public static Level ofCode(int code) {
        for (Level level : values()) {
            if (level.code == code) {
                return level;
            }
        }
        throw new IllegalArgumentException("level code must be 1, 2 or 3, was " + code);
    }
}
