package org.itsmhub.runtime.config;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

import org.itsmhub.api.config.ConfigDef;

/** "Did you mean" hints and sorted lists of known names, for problem messages. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known name closest to {@code wrong}, when it is close enough to be a typo. */
    static Optional<String> closest(String wrong, Collection<String> known) {
        return ConfigDef.closestName(wrong, known);
    }

    /** {@code " (did you mean 'x'?)"} or an empty string. */
    static String didYouMean(String wrong, Collection<String> known) {
        return closest(wrong, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** The names sorted and comma-separated, or {@code "none"}. */
    static String list(Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }
}
