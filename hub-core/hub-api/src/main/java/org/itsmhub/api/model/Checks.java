package org.itsmhub.api.model;

import java.util.List;
import java.util.Map;

/** Argument checks shared by the model's compact constructors. */
final class Checks {

    private Checks() {
    }

    static String notBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <K, V> Map<K, V> copy(Map<K, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        // keeps insertion order, which matters for evidence shown to humans
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }
}
