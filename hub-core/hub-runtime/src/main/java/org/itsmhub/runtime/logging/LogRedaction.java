package org.itsmhub.runtime.logging;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that leaves the hub: log lines, stored run errors, dead letters and audit
 * entries, admin API answers and command output. Two layers: every secret value the hub knows is
 * replaced wherever it appears, in each encoding it may have travelled in, and well-known credential
 * shapes (authorization headers, bearer tokens, {@code Basic} credentials, {@code password=...},
 * {@code api_key=...}) are masked even when their value was never registered.
 *
 * <p>Known values come from the config (registered at start-up) and from the connectors, which
 * report each credential exactly as they send it ({@code ConnectorContext.credentialSent}): the
 * {@code Basic} header of {@code user:secret} or {@code secret:X}, an OAuth token fetched at run time.
 * A value is masked raw, URL-encoded and JSON-escaped; a header value also without its scheme.
 */
public final class LogRedaction {

    public static final String MASK = "[hidden]";

    /** Secrets shorter than this are not masked by value: masking "on" or "1" would garble logs. */
    private static final int MIN_SECRET_LENGTH = 4;

    /** Tokens rotate (hourly for OAuth): a connection's older ones age out after this many new ones. */
    static final int SENT_PER_OWNER = 4;

    private static final Set<String> CONFIGURED = new LinkedHashSet<>();
    private static final Map<String, Deque<String>> SENT = new LinkedHashMap<>();
    /** Every form to mask, longest first, so a secret that contains another is masked whole. */
    private static volatile List<String> forms = List.of();

    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)((?:proxy-)?authorization\\s*[:=]\\s*)(?:(basic|bearer|token|digest)\\s+)?"
                    + "(?!\\[hidden]|(?:basic|bearer|token|digest)\\b)[^\\s,;\"'()\\[\\]]+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    /** {@code Basic} followed by base64 that decodes to {@code user:password}, wherever it is echoed. */
    private static final Pattern BASIC = Pattern.compile("(?i)\\b(basic\\s+)([A-Za-z0-9+/]{4,}={0,2})");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)\\b((?:password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?token"
                    + "|refresh[_-]?token|token|x-apikeys)\\s*[\"']?\\s*[=:]\\s*[\"']?)([^\\s\"',;&}]+)");

    private LogRedaction() {
    }

    /** Adds secret values from the config to mask from now on. */
    public static synchronized void register(Collection<String> secrets) {
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH) {
                CONFIGURED.add(s);
            }
        }
        rebuild();
    }

    /**
     * Adds a credential exactly as a connection sent it (a header value or a token), to mask from
     * now on. Only the last {@value #SENT_PER_OWNER} values of one owner are kept.
     *
     * @param owner the connection that sent it, e.g. {@code acme/acme-desk}
     */
    public static void registerSent(String owner, String value) {
        if (value == null || value.isBlank() || forms.contains(value)) {
            return;
        }
        synchronized (LogRedaction.class) {
            Deque<String> values = SENT.computeIfAbsent(owner, o -> new ArrayDeque<>());
            values.remove(value);
            values.addFirst(value);
            while (values.size() > SENT_PER_OWNER) {
                values.removeLast();
            }
            rebuild();
        }
    }

    /** Forgets every registered secret (tests). */
    public static synchronized void clear() {
        CONFIGURED.clear();
        SENT.clear();
        forms = List.of();
    }

    private static void rebuild() {
        Set<String> all = new LinkedHashSet<>();
        for (String s : CONFIGURED) {
            addForms(all, s);
        }
        for (Deque<String> values : SENT.values()) {
            for (String v : values) {
                addForms(all, v);
                int space = v.indexOf(' ');
                if (space > 0 && v.substring(0, space).matches("(?i)basic|bearer|token|digest")) {
                    addForms(all, v.substring(space + 1).strip()); // echoed without its scheme
                }
            }
        }
        all.removeIf(f -> f.length() < MIN_SECRET_LENGTH);
        forms = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The value and the encodings it travels in: form/query encoding, path encoding, a JSON string. */
    private static void addForms(Set<String> into, String value) {
        into.add(value);
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        into.add(form);
        into.add(form.replace("+", "%20"));
        into.add(form.toLowerCase(Locale.ROOT).equals(form) ? form : lowerHexEscapes(form));
        into.add(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        into.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
    }

    /** {@code %2F} as {@code %2f}: some clients write percent-escapes in lower case. */
    private static String lowerHexEscapes(String encoded) {
        Matcher m = Pattern.compile("%[0-9A-F]{2}").matcher(encoded);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, m.group().toLowerCase(Locale.ROOT));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The text with every known secret (in each of its encodings) and every credential-shaped value masked. */
    public static String redact(String text) {
        String out = redactValues(text);
        if (out == null || out.isEmpty()) {
            return out;
        }
        out = replace(AUTH_HEADER, out, m -> m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MASK);
        out = replace(BEARER, out, m -> m.group(1) + MASK);
        out = replace(BASIC, out, m -> isBasicCredential(m.group(2)) ? m.group(1) + MASK : m.group());
        out = replace(KEY_VALUE, out, m -> m.group(2).equals(MASK) ? m.group() : m.group(1) + MASK);
        return out;
    }

    /**
     * The text with every known secret masked, and nothing else changed: for stored payloads a replay
     * sends again, where masking credential-shaped words (a ticket saying "password: reset") would
     * change what the customer wrote.
     */
    public static String redactValues(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : forms) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    private static boolean isBasicCredential(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).indexOf(':') > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
