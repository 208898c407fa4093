package org.itsmhub.plugin.servicenow;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.plugin.servicenow.dto.CiRecord;

/**
 * Canonical assets → configuration item fields of {@code cmdb.class} (default {@code cmdb_ci_computer}),
 * for the Table API and for the Identification and Reconciliation API. Only string fields are written:
 * {@code manufacturer} and {@code model_id} are references (core_company, cmdb_model) the hub cannot
 * resolve, so manufacturer and model go into the description instead.
 *
 * @see <a href="https://www.servicenow.com/docs/r/servicenow-platform/configuration-management-database-cmdb/class-computer.html">Computer [cmdb_ci_computer] class</a>
 * @see <a href="https://www.servicenow.com/docs/r/api-reference/rest-apis/c_IdentifyReconcileAPI.html">Identification and Reconciliation API</a>
 */
final class ServiceNowAssetMapper {

    /** cmdb_ci.short_description is a 1000-character string. */
    static final int DESCRIPTION_MAX = 1000;
    static final String SERIAL_TABLE = "cmdb_serial_number";
    static final String ADAPTER_TABLE = "cmdb_ci_network_adapter";
    /** install_status 1 = Installed (cmdb_ci choice list). */
    static final String INSTALLED = "1";

    private final String connection;
    private final URI instance;
    private final String ciClass;
    private final String dataSource;
    private final String staleStatus;

    ServiceNowAssetMapper(String connection, ConnectorConfig config) {
        this.connection = connection;
        this.instance = config.getUrl(ServiceNowConnectorConfig.INSTANCE_URL);
        this.ciClass = config.getString(ServiceNowConnectorConfig.CMDB_CLASS);
        this.dataSource = config.getString(ServiceNowConnectorConfig.CMDB_DATA_SOURCE);
        this.staleStatus = config.getString(ServiceNowConnectorConfig.CMDB_STALE_STATUS);
    }

    String ciClass() {
        return ciClass;
    }

    String dataSource() {
        return dataSource;
    }

    /**
     * The fields the asset sets, keyed by field name; a field the asset has no value for is absent (and
     * left as it is on the CI). {@code name} is absent when the asset has neither a name, a host name
     * nor an FQDN: a MAC address must never overwrite a real name.
     */
    Map<String, String> fields(Asset asset, String correlationId) {
        AssetIdentity id = asset.identity();
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "name", displayName(asset));
        put(f, "serial_number", id.serial());
        put(f, "mac_address", id.macs().isEmpty() ? null : mac(id.macs().get(0)));
        put(f, "ip_address", id.ips().isEmpty() ? null : id.ips().get(0));
        put(f, "fqdn", id.fqdn());
        if (id.fqdn() != null && id.fqdn().indexOf('.') > 0 && id.fqdn().indexOf('.') < id.fqdn().length() - 1) {
            f.put("dns_domain", id.fqdn().substring(id.fqdn().indexOf('.') + 1));
        }
        put(f, "os", asset.os());
        put(f, "os_version", asset.osVersion());
        put(f, "last_discovered", asset.lastSeen() == null ? null : ServiceNowQuery.TIMESTAMP.format(asset.lastSeen()));
        f.put("discovery_source", dataSource);
        f.put("correlation_id", ServiceNowQuery.requireLiteral("correlation id", correlationId));
        f.put("short_description", description(asset));
        return f;
    }

    /** The body of a Table API create: the fields, and a name even when the asset has none (ServiceNow's advice: the MAC, else the IP). */
    Map<String, Object> createBody(Asset asset, String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>(fields(asset, correlationId));
        if (!body.containsKey("name")) {
            AssetIdentity id = asset.identity();
            body.put("name", !id.macs().isEmpty() ? mac(id.macs().get(0))
                    : !id.ips().isEmpty() ? id.ips().get(0) : correlationId);
        }
        return body;
    }

    /** The body of a Table API update: only the fields whose value differs from the CI's; empty when nothing changed. */
    Map<String, Object> updateBody(Asset asset, String correlationId, CiRecord current) {
        Map<String, Object> body = new LinkedHashMap<>();
        fields(asset, correlationId).forEach((field, value) -> {
            if (!value.equals(current.value(field))) {
                body.put(field, value);
            }
        });
        // the hub marked it stale, and now a source sees it again: it is back
        if (staleStatus.equals(current.value("install_status"))) {
            body.put("install_status", INSTALLED);
        }
        return body;
    }

    /**
     * The body of {@code POST /api/now/identifyreconcile}: one item of {@code cmdb.class} with the
     * fields as values, lookups the base Hardware identification rule searches (serial number table,
     * network adapter by MAC) and the hub's correlation id as the source's native key.
     */
    Map<String, Object> ireBody(Asset asset, String correlationId) {
        Map<String, String> values = fields(asset, correlationId);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("className", ciClass);
        item.put("values", values);
        List<Map<String, Object>> lookup = new ArrayList<>();
        AssetIdentity id = asset.identity();
        if (id.serial() != null) {
            lookup.add(Map.of("className", SERIAL_TABLE, "values", Map.of("serial_number", id.serial(),
                    "serial_number_type", "system", "valid", "true")));
        }
        if (!id.macs().isEmpty()) {
            String mac = mac(id.macs().get(0));
            lookup.add(Map.of("className", ADAPTER_TABLE, "values", Map.of("name", mac, "mac_address", mac)));
        }
        if (!lookup.isEmpty()) {
            item.put("lookup", lookup);
        }
        Map<String, String> source = new LinkedHashMap<>();
        source.put("source_name", dataSource);
        source.put("source_native_key", correlationId);
        if (values.containsKey("last_discovered")) {
            source.put("source_recency_timestamp", values.get("last_discovered"));
        }
        item.put("sys_object_source_info", source);
        return Map.of("items", List.of(item));
    }

    /** The body that marks a CI stale: the configured install_status and a note in comments. */
    Map<String, Object> staleBody(String reason, java.time.Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("install_status", staleStatus);
        body.put("comments", "Marked stale by ITSM Hub on " + ServiceNowQuery.TIMESTAMP.format(now) + " UTC"
                + (reason == null || reason.isBlank() ? "." : ": " + reason));
        return body;
    }

    ExternalRef ref(String sysId) {
        String base = instance.toString().replaceAll("/+$", "");
        return new ExternalRef(ServiceNowTicketMapper.SYSTEM, connection, sysId, base + "/" + ciClass + ".do?sys_id="
                + sysId);
    }

    /** "Written by ITSM Hub from ..., sources ..., evidence ..., manufacturer ..., model ...", at most 1000 characters. */
    static String description(Asset asset) {
        StringBuilder sb = new StringBuilder("Written by ITSM Hub from ").append(asset.ref()).append('.');
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(asset.attributes()).entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (e.getValue() != null && !e.getValue().isBlank() && (key.contains("source") || key.contains("evidence")
                    || key.equals("manufacturer") || key.equals("model"))) {
                sb.append(' ').append(e.getKey()).append(": ").append(e.getValue().strip()).append('.');
            }
        }
        return sb.length() <= DESCRIPTION_MAX ? sb.toString() : sb.substring(0, DESCRIPTION_MAX - 1) + "…";
    }

    /** ServiceNow's advice for MAC addresses: colon-separated, lower case. */
    static String mac(String normalised) {
        return normalised.toLowerCase(Locale.ROOT);
    }

    private static String displayName(Asset asset) {
        if (asset.name() != null && !asset.name().isBlank()) {
            return asset.name().strip();
        }
        return asset.identity().hostname() != null ? asset.identity().hostname() : asset.identity().fqdn();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
