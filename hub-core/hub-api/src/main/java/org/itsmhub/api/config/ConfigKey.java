package org.itsmhub.api.config;

/**
 * One declared config key.
 *
 * @param name         dotted lower-case name, e.g. {@code base.url}, {@code auth.api.key}
 * @param type         value type
 * @param defaultValue typed default, or null when the key has none
 * @param required     whether the admin must set it (a required key has no default)
 * @param doc          one or two sentences for the generated connector page; never blank
 * @param validator    extra check on the typed value, or null
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, boolean required, String doc,
        ConfigValidator validator) {

    public ConfigKey {
        if (name == null || !name.matches("[a-z][a-z0-9]*([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("config key names are dotted lower case, was '" + name + "'");
        }
        if (type == null) {
            throw new IllegalArgumentException("key " + name + " needs a type");
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException("key " + name + " needs a doc string");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required key " + name + " cannot have a default");
        }
    }

    public boolean isSecret() {
        return type == ConfigType.SECRET;
    }
}
