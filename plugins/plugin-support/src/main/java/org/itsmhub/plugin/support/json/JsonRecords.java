package org.itsmhub.plugin.support.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decodes the records of a page one by one, so that a record that cannot be read (a missing field,
 * an id of the wrong type, an unreadable date, a {@code null} element, an oversized text) becomes a
 * {@link RejectedRecord} instead of failing the page. Decode the page's array as a tree, then hand
 * each element to the DTO mapping and the mapper here.
 */
public final class JsonRecords {

    /**
     * The longest text a record's field may hold: 4 Mi characters, far above any real ticket
     * description, well below what would strain the hub (a record holding more is rejected).
     */
    public static final int MAX_TEXT_CHARS = 4 * 1024 * 1024;

    /** The records read and those rejected, each in page order. */
    public record Decoded<T>(List<T> items, List<RejectedRecord> rejected) {
        public Decoded {
            items = List.copyOf(items);
            rejected = List.copyOf(rejected);
        }
    }

    /** Reads one element; throws when it cannot (any unchecked exception but a call failure). */
    @FunctionalInterface
    public interface ElementReader<T> {
        T read(JsonNode element);
    }

    private JsonRecords() {
    }

    /**
     * Reads every element of an array.
     *
     * @param array   the page's array (e.g. the {@code result} of a response)
     * @param idField the element's id field, for the vendor id of a rejected record (a dotted path
     *                such as {@code id}); its text is used whatever its JSON type
     * @param reader  decodes and maps one element; a null result drops the element silently (e.g. a
     *                record a filter does not want)
     * @throws ConnectorException a call failure the reader threw (retriable, authentication): that is
     *         no fault of the record
     */
    public static <T> Decoded<T> each(JsonNode array, String idField, ElementReader<T> reader) {
        return each(array, element -> idOf(element, idField), reader);
    }

    /** As {@link #each(JsonNode, String, ElementReader)}, with the vendor id told by a function. */
    public static <T> Decoded<T> each(JsonNode array, Function<JsonNode, String> idOf, ElementReader<T> reader) {
        List<T> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>();
        if (array == null || array.isNull() || array.isMissingNode()) {
            return new Decoded<>(items, rejected);
        }
        if (!array.isArray()) {
            throw new DataMappingException("expected an array of records, got " + array.getNodeType().name()
                    .toLowerCase());
        }
        for (JsonNode element : array) {
            String id = element != null && element.isObject() ? safeId(idOf, element) : null;
            try {
                check(element);
                T item = reader.read(element);
                if (item != null) {
                    items.add(item);
                }
            } catch (DataMappingException e) {
                rejected.add(RejectedRecord.of(id, e.getMessage(), String.valueOf(element)));
            } catch (ConnectorException e) {
                throw e;
            } catch (RuntimeException e) {
                rejected.add(RejectedRecord.of(id, e.getClass().getSimpleName() + ": " + e.getMessage(),
                        String.valueOf(element)));
            }
        }
        return new Decoded<>(items, rejected);
    }

    /** The text at a dotted path of a record, or null; at most 100 characters (a rejected id may be anything). */
    public static String idOf(JsonNode element, String path) {
        JsonNode node = element;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText().strip();
        return text.isEmpty() || text.length() > 100 ? null : text;
    }

    private static String safeId(Function<JsonNode, String> idOf, JsonNode element) {
        try {
            return idOf.apply(element);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Rejects what no mapping should see: a non-object element, an oversized text. */
    private static void check(JsonNode element) {
        if (element == null || !element.isObject()) {
            throw new DataMappingException("the element is " + (element == null ? "missing"
                    : element.isNull() ? "null" : "a JSON " + element.getNodeType().name().toLowerCase())
                    + ", not a record");
        }
        String field = oversized(element, "");
        if (field != null) {
            throw new DataMappingException(field);
        }
    }

    private static String oversized(JsonNode node, String path) {
        if (node.isTextual()) {
            int n = node.textValue().length();
            return n > MAX_TEXT_CHARS ? "field '" + path + "' holds " + n + " characters, more than the "
                    + MAX_TEXT_CHARS + " the hub reads" : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String found = oversized(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = oversized(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
