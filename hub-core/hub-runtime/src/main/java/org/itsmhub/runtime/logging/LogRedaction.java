package org.itsmhub.runtime.logging;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in log output. Two layers: every secret value the hub resolved from its config
 * (registered at start-up) is replaced wherever it appears, and well-known credential shapes
 * (authorization headers, bearer tokens, {@code password=...}, {@code api_key=...}) are masked even
 * when their value was never registered, e.g. a token a vendor sent back.
 */
public final class LogRedaction {

    public static final String MASK = "[hidden]";

    /** Secrets shorter than this are not masked by value: masking "on" or "1" would garble logs. */
    private static final int MIN_SECRET_LENGTH = 4;

    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)((?:proxy-)?authorization\\s*[:=]\\s*)(?:(basic|bearer|token|digest)\\s+)?"
                    + "(?!\\[hidden]|(?:basic|bearer|token|digest)\\b)[^\\s,;\"'()\\[\\]]+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)\\b((?:password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?token"
                    + "|refresh[_-]?token|token|x-apikeys)\\s*[\"']?\\s*[=:]\\s*[\"']?)([^\\s\"',;&}]+)");

    private LogRedaction() {
    }

    /** Adds secret values to mask from now on. */
    public static void register(Collection<String> secrets) {
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH && !SECRETS.contains(s)) {
                SECRETS.add(s);
            }
        }
        // longest first, so a secret that contains another is masked whole
        SECRETS.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** Forgets every registered secret (tests). */
    public static void clear() {
        SECRETS.clear();
    }

    /** The text with every registered secret and every credential-shaped value masked. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = replace(AUTH_HEADER, out, m -> m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MASK);
        out = replace(BEARER, out, m -> m.group(1) + MASK);
        out = replace(KEY_VALUE, out, m -> m.group(2).equals(MASK) ? m.group() : m.group(1) + MASK);
        return out;
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        do {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
