package org.itsmhub.testkit.contract;

/**
 * Long plain text for tests of large request bodies: words and punctuation only (no line breaks, no
 * HTML-special characters, some non-ASCII letters), so that every vendor's text mapping keeps it as
 * it is, ending in a marker that shows it arrived whole.
 */
public final class LargeText {

    private LargeText() {
    }

    /** At least {@code chars} characters, starting with {@code label} and ending in {@code end(label)}. */
    public static String of(String label, int chars) {
        StringBuilder sb = new StringBuilder(label).append(':');
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(" Satz ").append(i).append(", der Drucker im zweiten Stock meldet Papierstau; bitte prüfen.");
        }
        return sb.append(' ').append(end(label)).toString();
    }

    /** The marker {@link #of} ends with. */
    public static String end(String label) {
        return "END-OF-" + label.toUpperCase(java.util.Locale.ROOT);
    }
}
