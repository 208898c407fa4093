package org.itsmhub.plugin.servicenow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.component.servicenow.ServiceNowConstants;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.itsmhub.plugin.servicenow.dto.JournalEntry;
import org.itsmhub.plugin.servicenow.dto.TableResult;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.databind.JsonNode;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The ServiceNow Table API, one method per call. Paged reads go through OkHttp (they need the
 * {@code Link} header for paging and {@code Retry-After} on 429, which camel-servicenow does not
 * expose), the batched twin lookup ({@code correlation_idIN...}) among them; the single lookups by
 * correlation id (tickets and CIs) and every Table API write go through
 * camel-servicenow ({@link CamelTableApi}); {@code identifyreconcile} goes through OkHttp, camel-servicenow
 * having no such resource.
 * Every value in a {@code sysparm_query} comes from {@link ServiceNowQuery}.
 */
final class ServiceNowClient implements AutoCloseable {

    /** One page of a list call and whether the {@code Link} header offers a next one. */
    record TablePage(List<JsonNode> records, boolean hasNext) {
    }

    private static final okhttp3.MediaType JSON = okhttp3.MediaType.get("application/json");

    private final HttpUrl instance;
    private final HttpUrl api;
    private final String table;
    private final HttpExecutor http;
    private final CamelTableApi camel;

    /**
     * @param camel makes the Camel-backed calls (given this client's {@link #ping()} to diagnose
     *              errors camel-servicenow cannot read), or null when the host offers no Camel context
     *              (then those calls fail with a clear error)
     */
    ServiceNowClient(HttpUrl instance, String table, HttpExecutor http, CamelTableApi.Factory camel) {
        this.instance = instance;
        this.api = instance.newBuilder().addPathSegments("api/now/table").build();
        this.table = table;
        this.http = http;
        this.camel = camel == null ? null : camel.create(this::ping);
    }

    /**
     * {@code GET /api/now/table/{table}?sysparm_query=...&sysparm_fields=...&sysparm_limit=...&sysparm_offset=...}
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET">Table API: GET /now/table/{tableName}</a>
     */
    TablePage listIncidents(String query, int limit, int offset) {
        // every element, records or not: the connector reads them one by one and rejects what is no record
        return list("list " + table + " records", table, query, IncidentRecord.FIELDS, limit, offset, true);
    }

    /**
     * {@code GET /api/now/table/sys_journal_field?sysparm_query=element_id=<sys_id>^element=comments^ORelement=work_notes^ORDERBYsys_created_on}
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET">Table API: GET /now/table/{tableName}</a>
     */
    TablePage listJournal(String query, int limit, int offset) {
        return list("list journal entries", "sys_journal_field", query, JournalEntry.FIELDS, limit, offset, false);
    }

    /**
     * {@code GET /api/now/table/{table}?sysparm_limit=1&sysparm_fields=sys_id}: the cheapest
     * authenticated call that also proves read access to the table.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET">Table API: GET /now/table/{tableName}</a>
     */
    void ping() {
        list("check connection", table, null, "sys_id", 1, 0, false);
    }

    /**
     * {@code GET /api/now/table/{table}/{sys_id}}; empty on 404. Through OkHttp: a "not found" must be
     * told apart reliably from other failures, which camel-servicenow's error path does not do.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET-id">Table API: GET /now/table/{tableName}/{sys_id}</a>
     */
    Optional<JsonNode> getIncident(String sysId) {
        HttpUrl url = api.newBuilder().addPathSegment(table).addPathSegment(ServiceNowQuery.requireSysId("ticket id", sysId))
                .addQueryParameter("sysparm_fields", IncidentRecord.FIELDS)
                .addQueryParameter("sysparm_display_value", "false")
                .addQueryParameter("sysparm_exclude_reference_link", "true")
                .build();
        Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
        String operation = "get " + table + " record";
        try (Response response = http.client().newCall(request).execute()) {
            String body = bodyOf(response);
            if (response.code() == 404) {
                return Optional.empty();
            }
            if (!response.isSuccessful()) {
                throw http.classifier().classify(operation, response.code(), response.headers(), body);
            }
            return Optional.of(TableResult.single(body, "ServiceNow " + table + " record"));
        } catch (java.io.IOException e) {
            throw http.classifier().io(operation, e);
        }
    }

    /**
     * {@code GET /api/now/table/{table}?sysparm_query=correlation_id=<id>^ORDERBYsys_created_on&sysparm_limit=1}
     * (camel-servicenow, action {@code retrieve}).
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET">Table API: GET /now/table/{tableName}</a>
     */
    List<JsonNode> findIncidents(String query, int limit) {
        Map<String, Object> h = tableHeaders();
        h.put(ServiceNowConstants.SYSPARM_QUERY, query);
        h.put(ServiceNowConstants.SYSPARM_FIELDS, IncidentRecord.FIELDS);
        h.put(ServiceNowConstants.SYSPARM_LIMIT, limit);
        return TableResult.list(wrap(camel().call("find " + table + " records", ServiceNowConstants.ACTION_RETRIEVE,
                h, null)), "ServiceNow " + table + " list");
    }

    /**
     * {@code POST /api/now/table/{table}} (camel-servicenow, action {@code create}).
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-POST">Table API: POST /now/table/{tableName}</a>
     */
    JsonNode createIncident(Map<String, Object> body) {
        Map<String, Object> h = tableHeaders();
        h.put(ServiceNowConstants.SYSPARM_FIELDS, IncidentRecord.FIELDS);
        return TableResult.single(wrap(camel().call("create " + table + " record", ServiceNowConstants.ACTION_CREATE,
                h, body)), "ServiceNow created " + table + " record");
    }

    /**
     * {@code PATCH /api/now/table/{table}/{sys_id}} (camel-servicenow, action {@code update}).
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-PATCH">Table API: PATCH /now/table/{tableName}/{sys_id}</a>
     */
    JsonNode updateIncident(String sysId, Map<String, Object> body) {
        Map<String, Object> h = tableHeaders();
        h.put(ServiceNowConstants.PARAM_SYS_ID, ServiceNowQuery.requireSysId("ticket id", sysId));
        h.put(ServiceNowConstants.SYSPARM_FIELDS, IncidentRecord.FIELDS);
        return TableResult.single(wrap(camel().call("update " + table + " record", ServiceNowConstants.ACTION_UPDATE,
                h, body)), "ServiceNow updated " + table + " record");
    }

    /**
     * {@code GET /api/now/table/{table}?sysparm_query=...&sysparm_fields=...&sysparm_limit=...}
     * (camel-servicenow, action {@code retrieve}) on any table, e.g. a CMDB class.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET">Table API: GET /now/table/{tableName}</a>
     */
    List<JsonNode> findRecords(String tableName, String query, String fields, int limit) {
        Map<String, Object> h = tableHeaders(tableName);
        h.put(ServiceNowConstants.SYSPARM_QUERY, query);
        h.put(ServiceNowConstants.SYSPARM_FIELDS, fields);
        h.put(ServiceNowConstants.SYSPARM_LIMIT, limit);
        return TableResult.list(wrap(camel().call("find " + tableName + " records", ServiceNowConstants.ACTION_RETRIEVE,
                h, null)), "ServiceNow " + tableName + " list");
    }

    /**
     * {@code POST /api/now/table/{table}} (camel-servicenow, action {@code create}) on any table.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-POST">Table API: POST /now/table/{tableName}</a>
     */
    JsonNode createRecord(String tableName, Map<String, Object> body, String fields) {
        Map<String, Object> h = tableHeaders(tableName);
        h.put(ServiceNowConstants.SYSPARM_FIELDS, fields);
        return TableResult.single(wrap(camel().call("create " + tableName + " record", ServiceNowConstants.ACTION_CREATE,
                h, body)), "ServiceNow created " + tableName + " record");
    }

    /**
     * {@code PATCH /api/now/table/{table}/{sys_id}} (camel-servicenow, action {@code update}) on any table.
     *
     * @see <a href="https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-PATCH">Table API: PATCH /now/table/{tableName}/{sys_id}</a>
     */
    JsonNode updateRecord(String tableName, String sysId, Map<String, Object> body, String fields) {
        Map<String, Object> h = tableHeaders(tableName);
        h.put(ServiceNowConstants.PARAM_SYS_ID, ServiceNowQuery.requireSysId("record id", sysId));
        h.put(ServiceNowConstants.SYSPARM_FIELDS, fields);
        return TableResult.single(wrap(camel().call("update " + tableName + " record", ServiceNowConstants.ACTION_UPDATE,
                h, body)), "ServiceNow updated " + tableName + " record");
    }

    /**
     * {@code POST /api/now/identifyreconcile?sysparm_data_source=<source>} with {@code {"items":[...]}}.
     * Through OkHttp: camel-servicenow 4.17 has no Identification and Reconciliation resource. Returns
     * the body; the call answers 200 also when an item failed (the item carries the errors).
     *
     * @see <a href="https://www.servicenow.com/docs/r/api-reference/rest-apis/c_IdentifyReconcileAPI.html">Identification and Reconciliation - POST /now/identifyreconcile</a>
     */
    String identifyReconcile(String dataSource, String className, Map<String, Object> payload) {
        HttpUrl url = instance.newBuilder().addPathSegments("api/now/identifyreconcile")
                .addQueryParameter("sysparm_data_source", dataSource).build();
        Request request = new Request.Builder().url(url).header("Accept", "application/json")
                .post(okhttp3.RequestBody.create(JsonCodec.write(payload), JSON)).build();
        return http.execute("identify and reconcile " + className, request, ServiceNowClient::bodyOf);
    }

    private TablePage list(String operation, String tableName, String query, String fields, int limit, int offset,
            boolean everyElement) {
        HttpUrl.Builder url = api.newBuilder().addPathSegment(tableName);
        if (query != null) {
            url.addQueryParameter("sysparm_query", query);
        }
        url.addQueryParameter("sysparm_fields", fields)
                .addQueryParameter("sysparm_display_value", "false")
                .addQueryParameter("sysparm_exclude_reference_link", "true")
                .addQueryParameter("sysparm_limit", String.valueOf(limit))
                .addQueryParameter("sysparm_offset", String.valueOf(offset));
        Request request = new Request.Builder().url(url.build()).header("Accept", "application/json").get().build();
        try {
            return http.execute(operation, request, response -> new TablePage(everyElement
                    ? TableResult.elements(bodyOf(response), "ServiceNow " + tableName + " list")
                    : TableResult.list(bodyOf(response), "ServiceNow " + tableName + " list"), hasNext(response)));
        } catch (DataMappingException e) {
            // the plugin id in the message tells the admin which connector read it
            throw new DataMappingException("Servicenow connector: " + e.getMessage(), e);
        }
    }

    private static String bodyOf(Response response) throws java.io.IOException {
        return response.body() == null ? "" : response.body().string();
    }

    /** {@code Link: <...>;rel="first",<...>;rel="next",...} */
    private static boolean hasNext(Response response) {
        for (String link : response.headers("Link")) {
            for (String part : link.split(",")) {
                if (part.replace(" ", "").contains("rel=\"next\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    private Map<String, Object> tableHeaders() {
        return tableHeaders(table);
    }

    private static Map<String, Object> tableHeaders(String tableName) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(ServiceNowConstants.PARAM_TABLE_NAME, tableName);
        return h;
    }

    /** camel-servicenow hands back the {@code result} node only; put the envelope back for one decoder. */
    private static String wrap(String result) {
        if (result == null) {
            throw new DataMappingException("ServiceNow answered without a result (Servicenow connector)");
        }
        return "{\"result\":" + result + "}";
    }

    private CamelTableApi camel() {
        if (camel == null) {
            throw new ConnectorException("ServiceNow Table API writes need the host's Camel context, which this host "
                    + "does not offer");
        }
        return camel;
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.close();
        }
    }
}
