package org.itsmhub.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config a connector accepts, declared once: every key with its type, default, whether it is
 * required or secret, and its documentation. The hub validates an admin's config against it
 * (collecting every problem), and the connector's documentation page is generated from it.
 *
 * <pre>{@code
 * static final ConfigDef CONFIG = new ConfigDef()
 *     .define(BASE_URL, ConfigType.URL, "Your Freshdesk URL, e.g. https://acme.freshdesk.com.",
 *             ConfigValidator.httpsOrLoopback())
 *     .define(API_KEY, ConfigType.SECRET, "API key of the agent the hub acts as.")
 *     .defineOptional(PAGE_SIZE, ConfigType.INT, 100, "Tickets per page (1-100).", ConfigValidator.between(1, 100));
 * }</pre>
 *
 * Instances are mutable only while being defined; share one definition per connector as a constant.
 */
public final class ConfigDef {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /** Declares a required key. */
    public ConfigDef define(String name, ConfigType type, String doc) {
        return add(new ConfigKey(name, type, null, true, doc, null));
    }

    /** Declares a required key with a validator. */
    public ConfigDef define(String name, ConfigType type, String doc, ConfigValidator validator) {
        return add(new ConfigKey(name, type, null, true, doc, validator));
    }

    /**
     * Declares an optional key. {@code defaultValue} may be null (the key is then simply absent
     * unless set) or a value of the key's type, or a string in the key's syntax (e.g. {@code "15m"}).
     */
    public ConfigDef defineOptional(String name, ConfigType type, Object defaultValue, String doc) {
        return defineOptional(name, type, defaultValue, doc, null);
    }

    /** Declares an optional key with a validator. */
    public ConfigDef defineOptional(String name, ConfigType type, Object defaultValue, String doc,
            ConfigValidator validator) {
        Object typedDefault = null;
        if (defaultValue != null) {
            List<ConfigProblem> problems = new ArrayList<>();
            typedDefault = convert(name, type, defaultValue, problems);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("bad default for " + name + ": " + problems.get(0).message());
            }
        }
        return add(new ConfigKey(name, type, typedDefault, false, doc, validator));
    }

    private ConfigDef add(ConfigKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalArgumentException("config key " + key.name() + " is defined twice");
        }
        return this;
    }

    /** Every key, in declaration order. */
    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /**
     * Converts and checks raw values (as read from YAML, after secret references are resolved).
     * Collects every problem: unknown keys, missing required keys, wrong types, failed validators.
     */
    public Parsed parse(Map<String, ?> raw) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                problems.add(new ConfigProblem(name, "unknown key" + suggestion(name)));
            }
        }
        for (ConfigKey key : keys.values()) {
            Object rawValue = raw.get(key.name());
            if (rawValue == null) {
                if (key.required()) {
                    problems.add(new ConfigProblem(key.name(), "missing required key (" + key.doc() + ")"));
                } else if (key.defaultValue() != null) {
                    values.put(key.name(), key.defaultValue());
                }
                continue;
            }
            int before = problems.size();
            Object value = convert(key.name(), key.type(), rawValue, problems);
            if (problems.size() > before) {
                continue;
            }
            if (key.validator() != null) {
                Optional<String> message = key.validator().check(value);
                if (message.isPresent()) {
                    problems.add(new ConfigProblem(key.name(),
                            key.isSecret() ? "invalid secret value" : message.get()));
                    continue;
                }
            }
            values.put(key.name(), value);
        }
        return new Parsed(new ConnectorConfig(this, values), List.copyOf(problems));
    }

    /** The outcome of {@link #parse}: the typed config and every problem found. */
    public record Parsed(ConnectorConfig config, List<ConfigProblem> problems) {
        public boolean isValid() {
            return problems.isEmpty();
        }
    }

    private String suggestion(String unknown) {
        return closestName(unknown, keys.keySet()).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /**
     * The known name closest to {@code wrong} by edit distance, when it is close enough to be a typo
     * (at most 2 edits, or a quarter of its length); ties go to the alphabetically first.
     */
    public static Optional<String> closestName(String wrong, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new java.util.TreeSet<>(known)) {
            int d = editDistance(wrong, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, wrong.length() / 4) ? Optional.of(best) : Optional.empty();
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

    static Object convert(String name, ConfigType type, Object raw, List<ConfigProblem> problems) {
        String text = raw instanceof String s ? s.trim() : null;
        try {
            switch (type) {
                case STRING:
                    if (raw instanceof Map || raw instanceof List) {
                        break;
                    }
                    return raw.toString();
                case SECRET:
                    if (raw instanceof Secret) {
                        return raw;
                    }
                    if (raw instanceof Map || raw instanceof List) {
                        break;
                    }
                    return Secret.of(raw.toString());
                case INT:
                    if (raw instanceof Integer) {
                        return raw;
                    }
                    if (text != null) {
                        return Integer.parseInt(text);
                    }
                    break;
                case LONG:
                    if (raw instanceof Integer || raw instanceof Long) {
                        return ((Number) raw).longValue();
                    }
                    if (text != null) {
                        return Long.parseLong(text);
                    }
                    break;
                case DOUBLE:
                    if (raw instanceof Number n) {
                        return n.doubleValue();
                    }
                    if (text != null) {
                        return Double.parseDouble(text);
                    }
                    break;
                case BOOLEAN:
                    if (raw instanceof Boolean) {
                        return raw;
                    }
                    if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
                        return Boolean.parseBoolean(text);
                    }
                    break;
                case LIST:
                    if (raw instanceof List<?> list) {
                        List<String> out = new ArrayList<>();
                        for (Object o : list) {
                            if (o instanceof Map || o instanceof List) {
                                problems.add(new ConfigProblem(name, "list elements must be plain values"));
                                return null;
                            }
                            out.add(String.valueOf(o));
                        }
                        return List.copyOf(out);
                    }
                    if (text != null) {
                        return text.isEmpty() ? List.of()
                                : List.of(text.split("\\s*,\\s*"));
                    }
                    break;
                case MAP:
                    if (raw instanceof Map<?, ?> map) {
                        Map<String, String> out = new LinkedHashMap<>();
                        for (Map.Entry<?, ?> e : map.entrySet()) {
                            if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                                problems.add(new ConfigProblem(name + "." + e.getKey(), "must be a plain value"));
                                return null;
                            }
                            out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                        }
                        return Collections.unmodifiableMap(out);
                    }
                    break;
                case DURATION:
                    if (raw instanceof Duration) {
                        return raw;
                    }
                    if (text != null) {
                        return parseDuration(text);
                    }
                    break;
                case URL:
                    if (text != null) {
                        URI uri = new URI(text);
                        if (!uri.isAbsolute() || uri.getHost() == null
                                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                            problems.add(new ConfigProblem(name, "must be an absolute http(s) URL, was '" + text + "'"));
                            return null;
                        }
                        return uri;
                    }
                    break;
                default:
                    throw new IllegalStateException("unhandled type " + type);
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            problems.add(new ConfigProblem(name, type == ConfigType.SECRET ? "invalid secret value"
                    : "must be " + describe(type) + ", was '" + raw + "'"));
            return null;
        }
        problems.add(new ConfigProblem(name, "must be " + describe(type) + ", was " + describeValue(raw)));
        return null;
    }

    /** Parses {@code PT15M} or {@code 15m} style durations. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static String describe(ConfigType type) {
        return switch (type) {
            case STRING, SECRET -> "a string";
            case INT, LONG -> "a whole number";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "a list";
            case MAP -> "a map of names to values";
            case DURATION -> "a duration such as 30s, 15m, 2h, 7d or PT15M";
            case URL -> "an absolute http(s) URL";
        };
    }

    private static String describeValue(Object raw) {
        if (raw instanceof Map) {
            return "a map";
        }
        if (raw instanceof List) {
            return "a list";
        }
        return "'" + raw + "'";
    }

    /**
     * The documentation table for this definition in Markdown: key, type, default, required, and
     * description. Secret defaults are never shown.
     */
    public String toMarkdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | required | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigKey key : keys.values()) {
            sb.append("| `").append(key.name()).append("` | ")
                    .append(key.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(key.defaultValue() == null ? "" : "`" + formatDefault(key.defaultValue()) + "`").append(" | ")
                    .append(key.required() ? "yes" : "no").append(" | ")
                    .append(key.doc().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return sb.toString();
    }

    private static String formatDefault(Object value) {
        if (value instanceof Secret) {
            return "[hidden]";
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
