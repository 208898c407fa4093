package org.itsmhub.plugin.servicenow.dto;

import java.util.ArrayList;
import java.util.List;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code POST /api/now/identifyreconcile}: {@code {"result":{"items":[{"className",
 * "operation","sysId","errors":[{"error","message"}],...}],"relations":[...]}}}. The call answers 200
 * even when an item failed; the item then has {@code errors} and {@code sysId} "Unknown".
 *
 * @see <a href="https://www.servicenow.com/docs/r/api-reference/rest-apis/c_IdentifyReconcileAPI.html">Identification and Reconciliation API</a>
 */
public record IreResult(List<Item> items) {

    /** One processed payload item. */
    public record Item(String className, String operation, String sysId, List<Error> errors) {

        /** Whether IRE gave this item a real record. */
        public boolean identified() {
            return errors.isEmpty() && sysId != null && !sysId.isBlank() && !"Unknown".equalsIgnoreCase(sysId);
        }
    }

    /** One entry of an item's {@code errors}, e.g. {@code MULTI_MATCH} or {@code INVALID_INPUT_DATA}. */
    public record Error(String error, String message) {
        @Override
        public String toString() {
            return (error == null ? "ERROR" : error) + (message == null ? "" : ": " + message);
        }
    }

    public static IreResult parse(String body) {
        JsonNode root = JsonCodec.readTree(body == null ? "" : body, "ServiceNow identifyreconcile answer");
        JsonNode result = root == null ? null : root.get("result");
        if (result == null || !result.path("items").isArray()) {
            throw new DataMappingException("ServiceNow identifyreconcile answer has no result.items");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode i : result.get("items")) {
            List<Error> errors = new ArrayList<>();
            for (JsonNode e : i.path("errors")) {
                errors.add(new Error(text(e, "error"), text(e, "message")));
            }
            items.add(new Item(text(i, "className"), text(i, "operation"), text(i, "sysId"), List.copyOf(errors)));
        }
        return new IreResult(List.copyOf(items));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
