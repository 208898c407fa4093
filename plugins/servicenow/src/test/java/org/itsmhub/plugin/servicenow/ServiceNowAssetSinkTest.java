package org.itsmhub.plugin.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.resource;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.sysId;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The CMDB side of the connector against a stubbed instance: results and the requests it sent. */
class ServiceNowAssetSinkTest extends StubbedInstanceTest {

    static final String CIS = "/api/now/table/cmdb_ci_computer";
    static final String IRE = "/api/now/identifyreconcile";
    static final String CID = "itsmhub:acme:asset:42";
    static final String CI = sysId(4200);

    private AssetSink sink() {
        return connector.capability(AssetSink.class).orElseThrow();
    }

    private void ire() {
        connector.close();
        connector = connect(Map.of("cmdb.api", "ire"));
    }

    static Asset laptop() {
        return new Asset(ExternalRef.of("intune", "acme-intune", "d-1"),
                new AssetIdentity("SN-4711", "LT-ANN", "lt-ann.acme.local", List.of("00-1A-2B-3C-4D-5E"),
                        List.of("10.0.0.7"), Map.of("azureAdDeviceId", "aad-1")),
                "LT-ANN", "Windows", "10.0.22631", null, Instant.parse("2026-01-09T08:30:00Z"),
                Map.of("manufacturer", "Dell", "model", "Latitude 7440", "sources", "intune:acme-intune/d-1",
                        "complianceState", "compliant"));
    }

    static final String WRITTEN = """
            {"name":"LT-ANN","serial_number":"SN-4711","mac_address":"00:1a:2b:3c:4d:5e","ip_address":"10.0.0.7",
             "fqdn":"lt-ann.acme.local","dns_domain":"acme.local","os":"Windows","os_version":"10.0.22631",
             "last_discovered":"2026-01-09 08:30:00","discovery_source":"Other Automated","correlation_id":"%s",
             "short_description":"Written by ITSM Hub from intune:acme-intune/d-1. manufacturer: Dell. model: Latitude 7440. sources: intune:acme-intune/d-1."}"""
            .formatted(CID);

    /** The CI as the Table API returns it, with the fields given and the rest as written. */
    static String ci(String overrides) {
        String fields = WRITTEN.strip();
        fields = fields.substring(1, fields.length() - 1);
        return "{\"sys_id\":\"" + CI + "\"," + (overrides.isEmpty() ? "" : overrides + ",") + fields
                + ",\"install_status\":\"1\",\"sys_class_name\":\"cmdb_ci_computer\","
                + "\"sys_updated_on\":\"2026-01-09 09:00:00\"}";
    }

    private static MappingBuilder lookup(String query) {
        return get(urlPathEqualTo(CIS)).withQueryParam("sysparm_query", equalTo(query));
    }

    private static final String BY_CID = "correlation_id=" + CID + "^ORDERBYsys_created_on";
    private static final String BY_SERIAL = "serial_number=SN-4711^ORDERBYsys_created_on";

    // ---- table mode

    @Test
    void tableModeCreatesTheCiWithTheCorrelationIdInTheCreateWhenNeitherIdNorSerialMatches() {
        SN.stubFor(get(urlPathEqualTo(CIS)).willReturn(json(200, "{\"result\":[]}")));
        SN.stubFor(post(urlPathEqualTo(CIS)).willReturn(json(201, "{\"result\":" + ci("") + "}")));

        ExternalRef ref = sink().upsert(laptop(), CID);

        assertThat(ref).isEqualTo(ExternalRef.of("servicenow", "contract-servicenow", CI));
        assertThat(ref.url()).isEqualTo(SN.baseUrl() + "/cmdb_ci_computer.do?sys_id=" + CI);
        List<LoggedRequest> lookups = SN.findAll(getRequestedFor(urlPathEqualTo(CIS)));
        assertThat(lookups).extracting(r -> r.queryParameter("sysparm_query").firstValue())
                .containsExactly(BY_CID, BY_SERIAL);
        assertThat(lookups).allSatisfy(r -> {
            assertThat(r.queryParameter("sysparm_limit").firstValue()).isEqualTo("1");
            assertThat(r.getHeader("Authorization")).isEqualTo(BASIC);
        });
        SN.verify(1, postRequestedFor(urlPathEqualTo(CIS)).withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson(WRITTEN)));
        SN.verify(0, patchRequestedFor(urlPathMatching(CIS + "/.*")));
    }

    @Test
    void tableModeUpdatesTheCiWithThatCorrelationIdWritingOnlyWhatChanged() {
        SN.stubFor(lookup(BY_CID).willReturn(json(200, "{\"result\":[" + ci("\"os_version\":\"10.0.19045\"")
                .replace(",\"os_version\":\"10.0.22631\"", "") + "]}")));
        SN.stubFor(patch(urlPathEqualTo(CIS + "/" + CI)).willReturn(json(200, "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));

        ExternalRef ref = sink().upsert(laptop(), CID);

        assertThat(ref.id()).isEqualTo(CI);
        SN.verify(1, patchRequestedFor(urlPathEqualTo(CIS + "/" + CI)).withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("{\"os_version\":\"10.0.22631\"}")));
        SN.verify(1, getRequestedFor(urlPathEqualTo(CIS)));
        SN.verify(0, postRequestedFor(urlPathEqualTo(CIS)));
    }

    @Test
    void tableModeAdoptsTheCiWithTheSameSerialAndGivesItTheCorrelationId() {
        SN.stubFor(lookup(BY_CID).willReturn(json(200, "{\"result\":[]}")));
        SN.stubFor(lookup(BY_SERIAL).willReturn(json(200, "{\"result\":[" + ci("\"correlation_id\":\"\"")
                .replace(",\"correlation_id\":\"" + CID + "\"", "").replace("\"name\":\"LT-ANN\"", "\"name\":\"lt-ann-old\"")
                + "]}")));
        SN.stubFor(patch(urlPathEqualTo(CIS + "/" + CI)).willReturn(json(200, "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));

        ExternalRef ref = sink().upsert(laptop(), CID);

        assertThat(ref.id()).isEqualTo(CI);
        SN.verify(1, patchRequestedFor(urlPathEqualTo(CIS + "/" + CI))
                .withRequestBody(equalToJson("{\"correlation_id\":\"" + CID + "\",\"name\":\"LT-ANN\"}")));
        SN.verify(0, postRequestedFor(urlPathEqualTo(CIS)));
    }

    @Test
    void aSecondUpsertOfAnUnchangedAssetWritesNothingAndCreatesNoDuplicate() {
        SN.stubFor(lookup(BY_CID).willReturn(json(200, "{\"result\":[" + ci("") + "]}")));

        ExternalRef ref = sink().upsert(laptop(), CID);

        assertThat(ref.id()).isEqualTo(CI);
        SN.verify(1, getRequestedFor(urlPathEqualTo(CIS)));
        SN.verify(0, postRequestedFor(urlPathEqualTo(CIS)));
        SN.verify(0, patchRequestedFor(urlPathMatching(CIS + "/.*")));
    }

    @Test
    void aCiTheHubMarkedStaleIsInstalledAgainWhenASourceSeesItAgain() {
        SN.stubFor(lookup(BY_CID).willReturn(json(200, "{\"result\":["
                + ci("").replace("\"install_status\":\"1\"", "\"install_status\":\"100\"") + "]}")));
        SN.stubFor(patch(urlPathEqualTo(CIS + "/" + CI)).willReturn(json(200, "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));

        sink().upsert(laptop(), CID);

        SN.verify(patchRequestedFor(urlPathEqualTo(CIS + "/" + CI)).withRequestBody(equalToJson(
                "{\"install_status\":\"1\"}")));
    }

    @Test
    void anAssetWithoutAnyNameIsCreatedUnderItsMacButNeverRenamedByIt() {
        Asset scanned = new Asset(ExternalRef.of("nessus", "acme-nessus", "h-9"),
                new AssetIdentity(null, null, null, List.of("00:1A:2B:3C:4D:5F"), List.of("10.0.0.9"), Map.of()),
                null, null, null, null, null, Map.of());
        SN.stubFor(get(urlPathEqualTo(CIS)).willReturn(json(200, "{\"result\":[]}")));
        SN.stubFor(post(urlPathEqualTo(CIS)).willReturn(json(201, "{\"result\":" + ci("") + "}")));

        sink().upsert(scanned, "c-9");
        SN.stubFor(lookup("correlation_id=c-9^ORDERBYsys_created_on").willReturn(json(200, "{\"result\":[" + ci("") + "]}")));
        SN.stubFor(patch(urlPathEqualTo(CIS + "/" + CI)).willReturn(json(200, "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));
        sink().upsert(scanned, "c-9");

        SN.verify(postRequestedFor(urlPathEqualTo(CIS)).withRequestBody(equalToJson(
                "{\"name\":\"00:1a:2b:3c:4d:5f\",\"mac_address\":\"00:1a:2b:3c:4d:5f\",\"ip_address\":\"10.0.0.9\","
                        + "\"discovery_source\":\"Other Automated\",\"correlation_id\":\"c-9\","
                        + "\"short_description\":\"Written by ITSM Hub from nessus:acme-nessus/h-9.\"}")));
        LoggedRequest update = SN.findAll(patchRequestedFor(urlPathEqualTo(CIS + "/" + CI))).get(0);
        assertThat(update.getBodyAsString()).doesNotContain("\"name\"").contains("\"mac_address\":\"00:1a:2b:3c:4d:5f\"");
    }

    @Test
    void aCorrelationIdThatCouldChangeTheQueryIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> sink().upsert(laptop(), "x^NQactive=true")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sink().findByCorrelationId("x\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sink().markStale("../sys_user", "gone")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SN.getAllServeEvents()).isEmpty();
    }

    @Test
    void aRejectedTableWriteIsADataErrorAndWrongCredentialsAnAuthenticationFailure() {
        SN.stubFor(get(urlPathEqualTo(CIS)).willReturn(json(200, "{\"result\":[]}")));
        SN.stubFor(post(urlPathEqualTo(CIS)).willReturn(json(400,
                "{\"error\":{\"message\":\"Invalid class\",\"detail\":\"Data Policy Exception\"},\"status\":\"failure\"}")));
        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(DataMappingException.class)
                .hasMessageContaining("create cmdb_ci_computer record");

        SN.resetAll();
        SN.stubFor(any(urlPathMatching("/api/now/.*")).willReturn(json(401, resource("error_401_not_authenticated.json"))));
        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining(PASSWORD);
    }

    // ---- markStale, findByCorrelationId

    @Test
    void markStalePatchesTheStaleInstallStatusAndANoteAndNeverDeletes() {
        SN.stubFor(patch(urlPathEqualTo(CIS + "/" + CI)).willReturn(json(200, "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));

        sink().markStale(CI, "not seen by any source for 30 days");

        SN.verify(1, patchRequestedFor(urlPathEqualTo(CIS + "/" + CI)).withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("{\"install_status\":\"100\",\"comments\":\"Marked stale by ITSM Hub on "
                        + "2026-01-10 00:00:00 UTC: not seen by any source for 30 days\"}")));
        SN.verify(0, deleteRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void theStaleStatusIsConfigurable() {
        connector.close();
        connector = connect(Map.of("cmdb.stale.install.status", "7", "cmdb.class", "cmdb_ci_server"));
        SN.stubFor(patch(urlPathEqualTo("/api/now/table/cmdb_ci_server/" + CI)).willReturn(json(200,
                "{\"result\":{\"sys_id\":\"" + CI + "\"}}")));

        sink().markStale(CI, null);

        SN.verify(patchRequestedFor(urlPathEqualTo("/api/now/table/cmdb_ci_server/" + CI)).withRequestBody(equalToJson(
                "{\"install_status\":\"7\",\"comments\":\"Marked stale by ITSM Hub on 2026-01-10 00:00:00 UTC.\"}")));
    }

    @Test
    void findsTheCiTheHubWroteByItsCorrelationId() {
        SN.stubFor(lookup(BY_CID).willReturn(json(200, "{\"result\":[" + ci("") + "]}")));
        SN.stubFor(lookup("correlation_id=other^ORDERBYsys_created_on").willReturn(json(200, "{\"result\":[]}")));

        assertThat(sink().findByCorrelationId(CID)).get().satisfies(ref -> {
            assertThat(ref.id()).isEqualTo(CI);
            assertThat(ref.url()).endsWith("/cmdb_ci_computer.do?sys_id=" + CI);
        });
        assertThat(sink().findByCorrelationId("other")).isEmpty();
        SN.verify(2, getRequestedFor(urlPathEqualTo(CIS)).withHeader("Authorization", equalTo(BASIC))
                .withQueryParam("sysparm_limit", equalTo("1")));
    }

    // ---- IRE mode

    static String ireAnswer(String operation, String sysId, String errors) {
        return """
                {"result":{"items":[{"className":"cmdb_ci_computer","operation":"%s","sysId":"%s",
                  "identifierEntrySysId":"556eb250c3400200d8d4bea192d3ae92","identificationAttempts":[],
                  "markers":[],"inputIndices":[0],"mergedPayloadIds":[],"errorCount":%d%s}],
                 "additionalCommittedItems":[],"relations":[],"additionalCommittedRelations":[]}}"""
                .formatted(operation, sysId, errors.isEmpty() ? 0 : 1, errors.isEmpty() ? "" : ",\"errors\":[" + errors + "]");
    }

    @Test
    void ireModeSendsOneItemWithLookupsTheDataSourceAndTheCorrelationId() {
        ire();
        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(200, ireAnswer("INSERT", CI, ""))));

        ExternalRef ref = sink().upsert(laptop(), CID);

        assertThat(ref.id()).isEqualTo(CI);
        assertThat(ref.url()).endsWith("/cmdb_ci_computer.do?sys_id=" + CI);
        SN.verify(1, postRequestedFor(urlPathEqualTo(IRE))
                .withQueryParam("sysparm_data_source", equalTo("Other Automated"))
                .withHeader("Authorization", equalTo(BASIC))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"items":[{"className":"cmdb_ci_computer","values":%s,
                          "lookup":[{"className":"cmdb_serial_number","values":{"serial_number":"SN-4711",
                                      "serial_number_type":"system","valid":"true"}},
                                    {"className":"cmdb_ci_network_adapter","values":{"name":"00:1a:2b:3c:4d:5e",
                                      "mac_address":"00:1a:2b:3c:4d:5e"}}],
                          "sys_object_source_info":{"source_name":"Other Automated","source_native_key":"%s",
                            "source_recency_timestamp":"2026-01-09 08:30:00"}}]}""".formatted(WRITTEN, CID))));
        SN.verify(0, anyRequestedFor(urlPathMatching("/api/now/table/.*")));
    }

    @Test
    void ireModeReturnsTheMatchedCiOnUpdateAndNoChange() {
        ire();
        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(200, ireAnswer("NO_CHANGE", sysId(77), ""))));

        assertThat(sink().upsert(laptop(), CID).id()).isEqualTo(sysId(77));
    }

    @Test
    void anIreItemErrorInA200AnswerIsADataError() {
        ire();
        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(200, ireAnswer("NO_CHANGE", "Unknown",
                "{\"error\":\"MULTI_MATCH\",\"message\":\"Found duplicate records in table [cmdb_ci_hardware] using fields [name]\"}"))));

        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(DataMappingException.class)
                .hasMessageContaining("MULTI_MATCH").hasMessageContaining("duplicate records").hasMessageContaining(CID);
    }

    @Test
    void anIreLockTimeoutIsRetriable() {
        ire();
        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(200, ireAnswer("NO_CHANGE", "Unknown",
                "{\"error\":\"LOCK_TIMEOUT\",\"message\":\"Failed to acquire synchronization lock for x\"}"))));

        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(RetriableException.class)
                .hasMessageContaining("LOCK_TIMEOUT");
    }

    @Test
    void ireHttpFailuresAreClassifiedLikeTheTicketCalls() {
        ire();
        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(401, resource("error_401_not_authenticated.json"))));
        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("identify and reconcile").hasMessageNotContaining(PASSWORD);

        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(500, resource("error_500.json"))));
        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(RetriableException.class);

        SN.stubFor(post(urlPathEqualTo(IRE)).willReturn(json(200, "{\"result\":{}}")));
        assertThatThrownBy(() -> sink().upsert(laptop(), CID)).isInstanceOf(DataMappingException.class);
    }

    // ---- mapping

    @Test
    void theDescriptionIsCappedAtTheFieldLength() {
        Asset noisy = new Asset(ExternalRef.of("nessus", "n", "h"), new AssetIdentity("S", null, null, List.of(),
                List.of(), Map.of()), null, null, null, null, null, Map.of("evidence", "x".repeat(2000)));

        assertThat(ServiceNowAssetMapper.description(noisy)).hasSize(ServiceNowAssetMapper.DESCRIPTION_MAX)
                .startsWith("Written by ITSM Hub from nessus:n/h. evidence: xxx");
    }

    @Test
    void theConnectorOffersTheCmdbAsACapability() {
        assertThat(connector.capability(AssetSink.class)).isPresent();
        assertThat(connector.capability(org.itsmhub.api.connector.TicketSink.class)).isPresent();
        assertThat(SN.getAllServeEvents()).isEmpty();
    }
}
