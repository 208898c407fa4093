package org.itsmhub.runtime.plugin;

/**
 * The hub's version, as plugins see it: a plugin's {@code plugin.requires} (e.g. {@code >=0.1.0}) is
 * checked against {@link #VERSION}.
 *
 * <p>Kept equal to the Maven project version without its qualifier ({@code 0.1.0-SNAPSHOT} →
 * {@code 0.1.0}); {@code HubVersionTest} fails the build when the two drift apart. The qualifier is
 * left out on purpose: in SemVer {@code 0.1.0-SNAPSHOT} sorts before {@code 0.1.0}, so a snapshot hub
 * would reject every plugin that requires the release it is about to become.
 */
public final class HubVersion {

    /** This hub's version, {@code major.minor.patch}. */
    public static final String VERSION = "0.1.0";

    private HubVersion() {
    }

    /**
     * The {@code major.minor.patch} part of a version, without pre-release or build qualifiers:
     * {@code 0.2.0-SNAPSHOT} → {@code 0.2.0}.
     */
    public static String release(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a hub version must not be blank");
        }
        String trimmed = version.trim();
        int end = trimmed.length();
        int dash = trimmed.indexOf('-');
        int plus = trimmed.indexOf('+');
        if (dash >= 0) {
            end = dash;
        }
        if (plus >= 0 && plus < end) {
            end = plus;
        }
        String release = trimmed.substring(0, end);
        if (!release.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("a hub version looks like 1.2.3, was '" + version + "'");
        }
        return release;
    }
}
