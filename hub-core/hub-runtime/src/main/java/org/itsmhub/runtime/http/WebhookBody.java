package org.itsmhub.runtime.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bodies a webhook route takes, turned into what the connection's plugin reads: JSON.
 *
 * <p>The vendors send JSON (Jira, ServiceNow, Freshdesk's JSON option) or a form (Freshdesk's
 * {@code x-www-form-urlencoded} option, {@code curl -d}). A form is decoded into the JSON object its
 * vendor's JSON option would send, nested keys in the Rails style ({@code freshdesk_webhook[ticket_id]=1}
 * becomes {@code {"freshdesk_webhook":{"ticket_id":"1"}}}); a body labelled as a form that is already a
 * JSON object or array ({@code curl -d '{…}'}) is taken as it is. A body without a content type is passed
 * on untouched, as before. Anything else is refused: the caller answers 415.
 */
final class WebhookBody {

    /** The content types a webhook route takes, as shown in a 415 answer. */
    static final List<String> ACCEPTED = List.of("application/json", "application/*+json",
            "application/x-www-form-urlencoded");

    static final String FORM = "application/x-www-form-urlencoded";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBody() {
    }

    /** A content type the hub does not take. */
    static final class UnsupportedType extends Exception {

        private final String mediaType;

        UnsupportedType(String mediaType) {
            super("unsupported content type " + mediaType + "; a webhook must be sent as one of " + String.join(", ", ACCEPTED));
            this.mediaType = mediaType;
        }

        String mediaType() {
            return mediaType;
        }
    }

    /**
     * What the plugin reads.
     *
     * @param body      the body, as JSON when it came as a form
     * @param decodedForm whether {@code body} was decoded from a form
     */
    record Normalized(byte[] body, boolean decodedForm) {
    }

    /** The media type of a Content-Type header, lower case and without parameters; empty when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws UnsupportedType          for a content type the hub does not take
     * @throws IllegalArgumentException for a form that cannot be decoded (bad percent-encoding, clashing keys)
     */
    static Normalized normalize(String contentType, byte[] raw) throws UnsupportedType {
        String type = mediaType(contentType);
        if (type.isEmpty() || type.equals("application/json") || type.equals("text/json")
                || (type.startsWith("application/") && type.endsWith("+json"))) {
            return new Normalized(raw, false);
        }
        if (!type.equals(FORM)) {
            throw new UnsupportedType(type);
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        String start = text.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            return new Normalized(raw, false);
        }
        return new Normalized(formToJson(text), true);
    }

    /** {@code a=1&b[c]=2&d[]=3&d[]=4} as {@code {"a":"1","b":{"c":"2"},"d":["3","4"]}}; a repeated plain key gives an array. */
    static byte[] formToJson(String form) {
        ObjectNode root = JSON.createObjectNode();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            put(root, key, value);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object", e);
        }
    }

    private static void put(ObjectNode root, String key, String value) {
        int bracket = key.indexOf('[');
        if (bracket <= 0 || !key.endsWith("]")) {
            add(root, key, value, false);
            return;
        }
        List<String> path = new java.util.ArrayList<>();
        path.add(key.substring(0, bracket));
        for (String part : key.substring(bracket + 1, key.length() - 1).split("]\\[", -1)) {
            path.add(part);
        }
        ObjectNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String name = path.get(i);
            boolean lastIsArray = i == path.size() - 2 && path.get(i + 1).isEmpty();
            if (lastIsArray) {
                add(node, name, value, true);
                return;
            }
            JsonNode child = node.get(name);
            if (child == null) {
                child = node.putObject(name);
            } else if (!child.isObject()) {
                throw new IllegalArgumentException("form key '" + key + "' clashes with an earlier value of '" + name + "'");
            }
            node = (ObjectNode) child;
        }
        add(node, path.get(path.size() - 1), value, false);
    }

    private static void add(ObjectNode node, String name, String value, boolean array) {
        JsonNode existing = node.get(name);
        if (existing == null) {
            if (array) {
                node.putArray(name).add(value);
            } else {
                node.put(name, value);
            }
        } else if (existing.isArray()) {
            ((ArrayNode) existing).add(value);
        } else if (existing.isTextual()) {
            node.putArray(name).add(existing.asText()).add(value);
        } else {
            throw new IllegalArgumentException("form key '" + name + "' clashes with an earlier value");
        }
    }
}
