package org.itsmhub.plugin.servicenow.dto;

import java.util.ArrayList;
import java.util.List;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.databind.JsonNode;

/** A Table API body: {@code {"result": [...]}} for lists, {@code {"result": {...}}} for one record. */
public final class TableResult {

    private TableResult() {
    }

    /** The records of a list body; {@code what} names it in errors. */
    public static List<JsonNode> list(String body, String what) {
        JsonNode result = result(body, what);
        if (!result.isArray()) {
            throw new DataMappingException(what + " has no \"result\" array");
        }
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode r : result) {
            if (!r.isObject()) {
                throw new DataMappingException(what + " holds a result that is not a record");
            }
            records.add(r);
        }
        return records;
    }

    /** Every element of a list body's {@code result} array, whatever it holds (a null, a record of the wrong shape). */
    public static List<JsonNode> elements(String body, String what) {
        JsonNode result = result(body, what);
        if (!result.isArray()) {
            throw new DataMappingException(what + " has no \"result\" array");
        }
        List<JsonNode> records = new ArrayList<>();
        result.forEach(records::add);
        return records;
    }

    /** The record of a single-record body. */
    public static JsonNode single(String body, String what) {
        JsonNode result = result(body, what);
        if (!result.isObject()) {
            throw new DataMappingException(what + " has no \"result\" record");
        }
        return result;
    }

    private static JsonNode result(String body, String what) {
        JsonNode root = JsonCodec.readTree(body == null ? "" : body, what);
        JsonNode result = root == null ? null : root.get("result");
        if (result == null) {
            throw new DataMappingException(what + " is not a Table API response (no \"result\")");
        }
        return result;
    }
}
