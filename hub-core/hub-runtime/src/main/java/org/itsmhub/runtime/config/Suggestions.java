package org.itsmhub.runtime.config;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/** "Did you mean" hints and sorted lists of known names, for problem messages. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known name closest to {@code wrong}, when it is close enough to be a typo. */
    static Optional<String> closest(String wrong, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int d = editDistance(wrong, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, wrong.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"} or an empty string. */
    static String didYouMean(String wrong, Collection<String> known) {
        return closest(wrong, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** The names sorted and comma-separated, or {@code "none"}. */
    static String list(Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
