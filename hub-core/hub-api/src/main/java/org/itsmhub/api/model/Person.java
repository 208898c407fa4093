package org.itsmhub.api.model;

/**
 * A human or a group as a vendor knows it. Any part may be null, but not all of them.
 *
 * @param id          the vendor's id of the person or group, or null
 * @param displayName the name to show, or null
 * @param email       e-mail address, or null
 */
public record Person(String id, String displayName, String email) {

    public Person {
        if (isBlank(id) && isBlank(displayName) && isBlank(email)) {
            throw new IllegalArgumentException("a person needs an id, a name or an e-mail address");
        }
    }

    public static Person named(String displayName) {
        return new Person(null, displayName, null);
    }

    /** The best human-readable label: name, else e-mail, else id. */
    public String label() {
        if (!isBlank(displayName)) {
            return displayName;
        }
        return !isBlank(email) ? email : id;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
