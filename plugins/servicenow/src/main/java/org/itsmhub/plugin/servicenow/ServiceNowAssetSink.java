package org.itsmhub.plugin.servicenow;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.plugin.servicenow.dto.CiRecord;
import org.itsmhub.plugin.servicenow.dto.IreResult;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The connection's CMDB side: assets as configuration items of {@code cmdb.class}. A separate object,
 * handed out by {@link ServiceNowConnector#capability(Class)}, because {@link AssetSink#findByCorrelationId}
 * and {@link org.itsmhub.api.connector.TicketSink#findByCorrelationId} differ only in their return type,
 * so one class cannot implement both.
 *
 * <p>{@code cmdb.api = table}: the CI is looked up by {@code correlation_id}, then by
 * {@code serial_number}; a found CI gets a PATCH of the fields that differ (none: no write), else one POST
 * with the correlation id in it. {@code cmdb.api = ire}: one {@code POST /api/now/identifyreconcile}; the
 * instance's identification rules (serial number, name, MAC) decide insert or update.
 */
final class ServiceNowAssetSink implements AssetSink {

    private final ServiceNowClient client;
    private final ServiceNowAssetMapper mapper;
    private final boolean ire;
    private final Clock clock;

    ServiceNowAssetSink(ServiceNowClient client, ServiceNowAssetMapper mapper, boolean ire, Clock clock) {
        this.client = client;
        this.mapper = mapper;
        this.ire = ire;
        this.clock = clock;
    }

    @Override
    public ExternalRef upsert(Asset asset, String correlationId) {
        return ire ? reconcile(asset, correlationId) : write(asset, correlationId);
    }

    @Override
    public void markStale(String id, String reason) {
        client.updateRecord(mapper.ciClass(), id, mapper.staleBody(reason, clock.instant()), "sys_id");
    }

    @Override
    public Optional<ExternalRef> findByCorrelationId(String correlationId) {
        return findBy("correlation_id", correlationId).map(r -> mapper.ref(r.sysId()));
    }

    private ExternalRef write(Asset asset, String correlationId) {
        Optional<CiRecord> found = findBy("correlation_id", correlationId);
        String serial = asset.identity().serial();
        if (found.isEmpty() && serial != null && isLiteral(serial)) {
            found = findBy("serial_number", serial);
        }
        if (found.isPresent()) {
            Map<String, Object> body = mapper.updateBody(asset, correlationId, found.get());
            if (!body.isEmpty()) {
                client.updateRecord(mapper.ciClass(), found.get().sysId(), body, "sys_id");
            }
            return mapper.ref(found.get().sysId());
        }
        CiRecord created = CiRecord.of(client.createRecord(mapper.ciClass(), mapper.createBody(asset, correlationId),
                CiRecord.FIELDS));
        if (created.sysId() == null) {
            throw new DataMappingException("ServiceNow created a " + mapper.ciClass() + " record but returned no sys_id");
        }
        return mapper.ref(created.sysId());
    }

    private ExternalRef reconcile(Asset asset, String correlationId) {
        IreResult result = IreResult.parse(client.identifyReconcile(mapper.dataSource(), mapper.ciClass(),
                mapper.ireBody(asset, correlationId)));
        if (result.items().isEmpty()) {
            throw new DataMappingException("ServiceNow identifyreconcile answered without items for " + correlationId);
        }
        IreResult.Item item = result.items().get(0);
        if (item.identified()) {
            return mapper.ref(item.sysId());
        }
        String errors = item.errors().isEmpty() ? "operation " + item.operation() + ", sysId " + item.sysId()
                : item.errors().toString();
        if (item.errors().stream().anyMatch(e -> "LOCK_TIMEOUT".equals(e.error()))) {
            throw new RetriableException("ServiceNow identifyreconcile could not lock the CI of " + correlationId + ": "
                    + errors);
        }
        throw new DataMappingException("ServiceNow identifyreconcile rejected the CI of " + correlationId + ": " + errors);
    }

    private Optional<CiRecord> findBy(String field, String value) {
        String query = ServiceNowQuery.where().valueEquals(field, value).orderBy("sys_created_on").build();
        List<JsonNode> found = client.findRecords(mapper.ciClass(), query, CiRecord.FIELDS, 1);
        return found.stream().findFirst().map(CiRecord::of).filter(r -> r.sysId() != null);
    }

    /** A serial that cannot be put in an encoded query is not looked up (the correlation id still is). */
    private static boolean isLiteral(String value) {
        try {
            ServiceNowQuery.requireLiteral("serial number", value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
