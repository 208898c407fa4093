package org.itsmhub.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection's validated, typed configuration. Produced by {@link ConfigDef#parse}; getters
 * return the admin's value or the declared default.
 *
 * <p>{@link #toString()} lists keys and values with every secret shown as {@code [hidden]}.
 */
public final class ConnectorConfig {

    private final ConfigDef definition;
    private final Map<String, Object> values;

    ConnectorConfig(ConfigDef definition, Map<String, Object> values) {
        this.definition = definition;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Builds a config directly from raw values; throws when they are invalid. Handy in tests. */
    public static ConnectorConfig of(ConfigDef definition, Map<String, ?> raw) {
        ConfigDef.Parsed parsed = definition.parse(raw);
        if (!parsed.isValid()) {
            throw new IllegalArgumentException("invalid config: " + parsed.problems());
        }
        return parsed.config();
    }

    public ConfigDef definition() {
        return definition;
    }

    /** Whether the key has a value (set or defaulted). */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    public Optional<String> findString(String key) {
        return Optional.ofNullable((String) values.get(key));
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        Object v = values.get(key);
        return v == null ? List.of() : (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String key) {
        Object v = values.get(key);
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    public Duration getDuration(String key) {
        return (Duration) get(key);
    }

    public URI getUrl(String key) {
        return (URI) get(key);
    }

    public Secret getSecret(String key) {
        return (Secret) get(key);
    }

    public Optional<Secret> findSecret(String key) {
        return Optional.ofNullable((Secret) values.get(key));
    }

    private Object get(String key) {
        if (definition.key(key).isEmpty()) {
            throw new IllegalArgumentException("no config key '" + key + "' is defined");
        }
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("config key '" + key + "' has no value and no default");
        }
        return v;
    }

    @Override
    public String toString() {
        return values.toString(); // Secret.toString() hides secret values
    }
}
