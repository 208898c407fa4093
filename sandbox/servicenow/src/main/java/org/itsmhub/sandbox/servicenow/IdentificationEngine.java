package org.itsmhub.sandbox.servicenow;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/now/identifyreconcile}: the base system's Hardware identification rule for every
 * {@code cmdb_ci_*} class, in its priority order: the serial number table ({@code cmdb_serial_number},
 * serial_number + serial_number_type, from the item's lookups), the CI's serial_number, its name, then
 * the network adapter table ({@code cmdb_ci_network_adapter}, mac_address, from the lookups). Before the
 * rules, an item whose {@code sys_object_source_info} (source_name + source_native_key) was seen before
 * goes to the same CI, as with the instance's Source [sys_object_source] table. The answer has the real
 * shape: {@code {"result":{"items":[{"className","operation","sysId","identificationAttempts",...}],...}}},
 * 200 also when an item failed (the item then has {@code errors} and sysId "Unknown"). No reconciliation
 * rules: every data source may write every attribute.
 */
final class IdentificationEngine {

    static final String PATH = "/api/now/identifyreconcile";
    static final String SERIALS = "cmdb_serial_number";
    static final String ADAPTERS = "cmdb_ci_network_adapter";
    static final String SOURCES = "sys_object_source";
    static final String HARDWARE_RULE = "Hardware Rule";
    /** The sys_id of the base system's Hardware identifier (cmdb_identifier). */
    static final String HARDWARE_IDENTIFIER = "556eb250c3400200d8d4bea192d3ae92";
    /** Choices of cmdb_ci.discovery_source the sandbox knows (an instance's list is admin-defined). */
    static final Set<String> DATA_SOURCES = Set.of("ServiceNow", "Manual Entry", "Other Automated", "ImportSet",
            "SCCM", "Altiris", "LANDesk", "OpenView", "ITSM Hub");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServiceNowSandbox instance;

    IdentificationEngine(ServiceNowSandbox instance) {
        this.instance = instance;
    }

    /** Processes a payload; returns the {@code result} object. */
    ObjectNode process(ObjectNode payload, String dataSource) {
        ObjectNode result = NODES.objectNode();
        ArrayNode items = result.putArray("items");
        JsonNode input = payload.path("items");
        for (int i = 0; i < input.size(); i++) {
            items.add(item(input.get(i), i, dataSource));
        }
        result.putArray("additionalCommittedItems");
        result.putArray("relations");
        result.putArray("additionalCommittedRelations");
        return result;
    }

    private ObjectNode item(JsonNode item, int index, String dataSource) {
        String className = item.path("className").asText("");
        ObjectNode out = NODES.objectNode();
        out.put("className", className);
        ArrayNode attempts = NODES.arrayNode();
        if (dataSource == null || dataSource.isBlank()) {
            return failed(out, attempts, index, "INVALID_INPUT_DATA", "In payload no data source exist. You need to "
                    + "provide choice value from choice field [discovery_source] in table [cmdb_ci]");
        }
        if (!DATA_SOURCES.contains(dataSource)) {
            return failed(out, attempts, index, "INVALID_INPUT_DATA", "In payload invalid data source [" + dataSource
                    + "] exist. You need to provide a valid choice value from field [discovery_source] in table [cmdb_ci]");
        }
        if (!className.startsWith("cmdb_ci_") || className.equals(ADAPTERS) || instance.table(className) == null) {
            return failed(out, attempts, index, "IDENTIFICATION_RULE_MISSING", "Identity Rule Missing for table ["
                    + className + "]");
        }
        ObjectNode values = item.path("values").isObject() ? ((ObjectNode) item.get("values")).deepCopy()
                : NODES.objectNode();
        values.remove("sys_class_name");
        values.remove("sys_id");
        String serial = lookupValue(item, SERIALS, "serial_number");
        String serialType = lookupValue(item, SERIALS, "serial_number_type");
        String mac = lookupValue(item, ADAPTERS, "mac_address");
        String sourceName = item.path("sys_object_source_info").path("source_name").asText("");
        String nativeKey = item.path("sys_object_source_info").path("source_native_key").asText("");

        ObjectNode ci = nativeKey.isEmpty() ? null : bySource(sourceName.isEmpty() ? dataSource : sourceName, nativeKey);
        List<String> duplicateOn = new ArrayList<>();
        if (ci == null) {
            ci = attempt(attempts, SERIALS, List.of("serial_number", "serial_number_type"), serial == null ? null
                    : viaLookup(SERIALS, r -> serial.equals(text(r, "serial_number"))
                            && (serialType == null || serialType.equals(text(r, "serial_number_type")))), duplicateOn);
        }
        if (ci == null && duplicateOn.isEmpty()) {
            String v = values.path("serial_number").asText("");
            ci = attempt(attempts, "cmdb_ci_hardware", List.of("serial_number"), v.isEmpty() ? null
                    : cis(r -> v.equals(text(r, "serial_number"))), duplicateOn);
        }
        if (ci == null && duplicateOn.isEmpty()) {
            String v = values.path("name").asText("");
            ci = attempt(attempts, "cmdb_ci_hardware", List.of("name"), v.isEmpty() ? null
                    : cis(r -> v.equalsIgnoreCase(text(r, "name"))), duplicateOn);
        }
        if (ci == null && duplicateOn.isEmpty()) {
            ci = attempt(attempts, ADAPTERS, List.of("mac_address", "name"), mac == null ? null
                    : viaLookup(ADAPTERS, r -> mac.equalsIgnoreCase(text(r, "mac_address"))), duplicateOn);
        }
        if (!duplicateOn.isEmpty()) {
            return failed(out, attempts, index, "MULTIPLE_DUPLICATE_RECORDS", "Found duplicate records in table ["
                    + duplicateOn.get(0) + "] using fields [" + duplicateOn.get(1) + "]");
        }
        boolean allSkipped = true;
        for (JsonNode a : attempts) {
            allSkipped &= a.path("attemptResult").asText().equals("SKIPPED");
        }
        if (ci == null && allSkipped) {
            return failed(out, attempts, index, "MISSING_MATCHING_ATTRIBUTES", "In payload missing minimum set of input "
                    + "values for criterion (matching) attributes from identify rule for table [" + className
                    + "]. Add these input values in payload item '" + index + "'");
        }

        String operation;
        if (ci == null) {
            if (!values.has("discovery_source")) {
                values.put("discovery_source", dataSource);
            }
            values.put("first_discovered", instance.now());
            if (!values.has("last_discovered")) {
                values.put("last_discovered", instance.now());
            }
            ci = instance.insert(className, values);
            operation = "INSERT";
        } else {
            ObjectNode changed = NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = values.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String value = e.getValue().isNull() ? "" : e.getValue().asText();
                if (!value.equals(text(ci, e.getKey()))) {
                    changed.put(e.getKey(), value);
                }
            }
            if (changed.isEmpty()) {
                operation = "NO_CHANGE";
            } else {
                instance.update(text(ci, "sys_class_name"), ci, changed);
                operation = "UPDATE";
            }
        }
        String sysId = text(ci, "sys_id");
        if (serial != null) {
            ensureRelated(SERIALS, sysId, r -> serial.equals(text(r, "serial_number")),
                    "serial_number", serial, "serial_number_type", serialType == null ? "system" : serialType,
                    "valid", "true");
        }
        if (mac != null) {
            ensureRelated(ADAPTERS, sysId, r -> mac.equalsIgnoreCase(text(r, "mac_address")),
                    "name", lookupValue(item, ADAPTERS, "name") == null ? mac : lookupValue(item, ADAPTERS, "name"),
                    "mac_address", mac.toLowerCase(Locale.ROOT));
        }
        if (!nativeKey.isEmpty()) {
            remember(sourceName.isEmpty() ? dataSource : sourceName, nativeKey, sysId, text(ci, "sys_class_name"));
        }
        out.put("operation", operation);
        out.put("sysId", sysId);
        out.putArray("relatedSysIds");
        out.putArray("relatedItems");
        out.putArray("additionalRelatedItems");
        out.put("identifierEntrySysId", HARDWARE_IDENTIFIER);
        out.set("identificationAttempts", attempts);
        out.putArray("markers");
        out.putArray("inputIndices").add(index);
        out.putArray("mergedPayloadIds");
        out.put("errorCount", 0);
        return out;
    }

    /** One identifier entry: SKIPPED without its attributes, else MATCHED / NO_MATCH / MULTI_MATCH. */
    private static ObjectNode attempt(ArrayNode attempts, String table, List<String> attributes, List<ObjectNode> found,
            List<String> duplicateOn) {
        ObjectNode a = attempts.addObject();
        a.put("identifierName", HARDWARE_RULE);
        String result = found == null ? "SKIPPED" : found.isEmpty() ? "NO_MATCH" : found.size() == 1 ? "MATCHED"
                : "MULTI_MATCH";
        a.put("attemptResult", result);
        ArrayNode attrs = a.putArray("attributes");
        attributes.forEach(attrs::add);
        a.put("searchOnTable", table);
        a.putArray("hybridEntryCiAttributes");
        if (result.equals("MULTI_MATCH")) {
            duplicateOn.add(table);
            duplicateOn.add(String.join(",", attributes));
        }
        return result.equals("MATCHED") ? found.get(0) : null;
    }

    /** CIs of every hardware class (every cmdb_ci_* table but the adapters). */
    private List<ObjectNode> cis(Predicate<ObjectNode> test) {
        List<ObjectNode> found = new ArrayList<>();
        for (String t : instance.tablesStartingWith("cmdb_ci_")) {
            if (!t.equals(ADAPTERS)) {
                instance.table(t).values().stream().filter(test).forEach(found::add);
            }
        }
        return found;
    }

    /** The distinct CIs the matching lookup-table records point at (field {@code cmdb_ci}). */
    private List<ObjectNode> viaLookup(String table, Predicate<ObjectNode> test) {
        Set<String> ids = new LinkedHashSet<>();
        instance.table(table).values().stream().filter(test).forEach(r -> ids.add(text(r, "cmdb_ci")));
        List<ObjectNode> found = new ArrayList<>();
        for (String id : ids) {
            cis(r -> id.equals(text(r, "sys_id"))).forEach(found::add);
        }
        return found;
    }

    private ObjectNode bySource(String name, String key) {
        for (ObjectNode s : instance.table(SOURCES).values()) {
            if (name.equals(text(s, "name")) && key.equals(text(s, "id"))) {
                List<ObjectNode> target = cis(r -> text(s, "target_sys_id").equals(text(r, "sys_id")));
                return target.isEmpty() ? null : target.get(0);
            }
        }
        return null;
    }

    private void remember(String name, String key, String sysId, String table) {
        for (ObjectNode s : instance.table(SOURCES).values()) {
            if (name.equals(text(s, "name")) && key.equals(text(s, "id"))) {
                ObjectNode change = NODES.objectNode().put("target_sys_id", sysId).put("target_table", table)
                        .put("last_scan", instance.now());
                instance.update(SOURCES, s, change);
                return;
            }
        }
        instance.insert(SOURCES, NODES.objectNode().put("name", name).put("id", key).put("target_sys_id", sysId)
                .put("target_table", table).put("last_scan", instance.now()));
    }

    private void ensureRelated(String table, String ciSysId, Predicate<ObjectNode> same, String... fields) {
        boolean exists = instance.table(table).values().stream()
                .anyMatch(r -> ciSysId.equals(text(r, "cmdb_ci")) && same.test(r));
        if (!exists) {
            ObjectNode rec = NODES.objectNode().put("cmdb_ci", ciSysId);
            for (int i = 0; i < fields.length; i += 2) {
                rec.put(fields[i], fields[i + 1]);
            }
            instance.insert(table, rec);
        }
    }

    private static String lookupValue(JsonNode item, String className, String field) {
        for (JsonNode l : item.path("lookup")) {
            if (className.equals(l.path("className").asText())) {
                String v = l.path("values").path(field).asText("");
                if (!v.isEmpty()) {
                    return v;
                }
            }
        }
        return null;
    }

    private static ObjectNode failed(ObjectNode out, ArrayNode attempts, int index, String error, String message) {
        out.put("operation", "NO_CHANGE");
        out.put("sysId", "Unknown");
        out.put("identifierEntrySysId", "Unknown");
        out.set("identificationAttempts", attempts);
        out.putArray("markers");
        out.putArray("inputIndices").add(index);
        out.putArray("mergedPayloadIds");
        out.put("errorCount", 1);
        ObjectNode e = out.putArray("errors").addObject();
        e.put("error", error);
        e.put("message", message);
        return out;
    }

    private static String text(ObjectNode rec, String field) {
        return ServiceNowSandbox.text(rec, field);
    }
}
