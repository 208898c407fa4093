package org.itsmhub.runtime.config;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks secret values in text, for the logging layer: every value that came from a
 * {@code ${env:...}} or {@code ${file:...}} reference, every SECRET connector key, the store
 * password and the admin token. Values shorter than {@link #MIN_LENGTH} are not masked: masking
 * {@code "1"} everywhere would make logs unreadable and hide nothing.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows how many values it holds, never which.
 */
public final class SecretRedactor {

    public static final int MIN_LENGTH = 4;
    public static final String HIDDEN = "[hidden]";

    private final Set<String> secrets;
    private final List<String> longestFirst;

    public SecretRedactor(Collection<String> secrets) {
        Set<String> kept = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_LENGTH) {
                kept.add(s);
            }
        }
        this.secrets = Collections.unmodifiableSet(kept);
        // longest first, so a secret that contains another one is masked whole
        this.longestFirst = kept.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Every value masked, each at least {@link #MIN_LENGTH} characters long. */
    public Set<String> secretValues() {
        return secrets;
    }

    /** {@code text} with every secret value replaced by {@code [hidden]}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : longestFirst) {
            out = out.replace(secret, HIDDEN);
        }
        return out;
    }

    /** {@code text} with each of {@code secrets} (at least {@link #MIN_LENGTH} long) replaced by {@code [hidden]}. */
    public static String redact(String text, Collection<String> secrets) {
        return new SecretRedactor(secrets).redact(text);
    }

    @Override
    public String toString() {
        return "SecretRedactor[" + secrets.size() + " values]";
    }
}
