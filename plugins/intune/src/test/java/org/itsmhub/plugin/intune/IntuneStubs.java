package org.itsmhub.plugin.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;

/** Microsoft identity platform and Graph shaped stubs and bodies for the tests. */
final class IntuneStubs {

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT_ID = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
    static final String TOKEN_PATH = "/" + TENANT + "/oauth2/v2.0/token";
    static final String DEVICES_PATH = "/v1.0/deviceManagement/managedDevices";

    private IntuneStubs() {
    }

    /** The raw config of a connection pointing both the authority and Graph at {@code baseUrl}. */
    static Map<String, Object> config(String baseUrl, String secret) {
        return new java.util.HashMap<>(Map.of("tenant.id", TENANT, "client.id", CLIENT_ID, "client.secret", secret,
                "authority", baseUrl + "/{tenant}", "graph.url", baseUrl));
    }

    static String tokenBody(String accessToken, long expiresIn) {
        return "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":" + expiresIn
                + ",\"access_token\":\"" + accessToken + "\"}";
    }

    static void stubToken(WireMockExtension vendor, String accessToken) {
        vendor.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(tokenBody(accessToken, 3599))));
    }

    /** A managed device as Graph returns it for the connector's $select. */
    static String device(String id, String name, String complianceState, String lastSync, Boolean encrypted) {
        return """
                {"id":"%s","deviceName":"%s","serialNumber":"SN-%s","manufacturer":"Dell Inc.","model":"Latitude 7440",
                 "operatingSystem":"Windows","osVersion":"10.0.22631.4460","complianceState":"%s",
                 "complianceGracePeriodExpirationDateTime":"9999-12-31T23:59:59Z","lastSyncDateTime":%s,
                 "enrolledDateTime":"2024-01-15T09:30:00Z","userPrincipalName":"adele.vance@contoso.com",
                 "userDisplayName":"Adele Vance","azureADDeviceId":"aad-%s","isEncrypted":%s,
                 "wiFiMacAddress":"a4c3f0112233","ethernetMacAddress":"","managedDeviceOwnerType":"company"}
                """.formatted(id, name, id, complianceState, lastSync == null ? "null" : "\"" + lastSync + "\"", id,
                encrypted == null ? "null" : encrypted.toString());
    }

    static String page(List<String> devices, String nextLink) {
        return "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices("
                + IntuneManagedDevice.SELECT + ")\",\"value\":[" + String.join(",", devices) + "]"
                + (nextLink == null ? "" : ",\"@odata.nextLink\":\"" + nextLink + "\"") + "}";
    }

    /**
     * Stubs the device list as Graph pages it: the first request (no {@code $skiptoken}) and then one
     * stub per {@code $skiptoken} the previous page's {@code @odata.nextLink} names.
     */
    static void stubDevicePages(WireMockExtension vendor, int total, int pageSize, IntFunction<String> device) {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            all.add(device.apply(i));
        }
        int pages = Math.max(1, (total + pageSize - 1) / pageSize);
        for (int p = 1; p <= pages; p++) {
            List<String> slice = all.subList(Math.min((p - 1) * pageSize, total), Math.min(p * pageSize, total));
            String next = p < pages ? nextLink(vendor, pageSize, "page-" + (p + 1)) : null;
            var request = get(urlPathEqualTo(DEVICES_PATH));
            request = p == 1 ? request.withQueryParam("$skiptoken", absent())
                    : request.withQueryParam("$skiptoken", equalTo("page-" + p));
            vendor.stubFor(request.willReturn(okJson(page(slice, next))));
        }
    }

    static String nextLink(WireMockExtension vendor, int top, String skipToken) {
        return vendor.baseUrl() + DEVICES_PATH + "?$select=" + IntuneManagedDevice.SELECT + "&$top=" + top
                + "&$skiptoken=" + skipToken;
    }

    /** Graph's error envelope. */
    static ResponseDefinitionBuilder graphError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("request-id", "5f0e1c7a-0000-4000-8000-000000000001")
                .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"innerError\":{"
                        + "\"date\":\"2024-03-10T12:00:00\",\"request-id\":\"5f0e1c7a-0000-4000-8000-000000000001\","
                        + "\"client-request-id\":\"5f0e1c7a-0000-4000-8000-000000000001\"}}}");
    }

    /** The identity platform's error body. */
    static ResponseDefinitionBuilder aadError(int status, String error, long code, String description) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + code + ": " + description
                        + "\\r\\nTrace ID: 0b5a-trace\\r\\nCorrelation ID: 77c1-corr\\r\\nTimestamp: 2024-03-10 12:00:00Z\","
                        + "\"error_codes\":[" + code + "],\"timestamp\":\"2024-03-10 12:00:00Z\",\"trace_id\":\"0b5a-trace\","
                        + "\"correlation_id\":\"77c1-corr\",\"error_uri\":\"https://login.microsoftonline.com/error?code="
                        + code + "\"}");
    }

    static boolean isGraph(LoggedRequest r) {
        return !r.getUrl().contains("/oauth2/v2.0/token");
    }

    /**
     * One page of the three recorded devices of the fixture and, when asked, one poison device of each
     * kind the test kit names (variations of the first recorded device), as Graph lists them.
     */
    static void stubDevicesWithPoison(WireMockExtension vendor, boolean withPoison) {
        com.fasterxml.jackson.databind.node.ArrayNode recorded = (com.fasterxml.jackson.databind.node.ArrayNode)
                org.itsmhub.plugin.support.json.JsonCodec.readTree(org.itsmhub.testkit.contract.VendorTestData.read(
                        "intune", "managedDevices_list_itsmhub.json"), "fixture").get("value");
        List<String> devices = new ArrayList<>();
        recorded.forEach(d -> devices.add(d.toString()));
        if (withPoison) {
            com.fasterxml.jackson.databind.node.ObjectNode real = (com.fasterxml.jackson.databind.node.ObjectNode) recorded.get(0);
            devices.add(1, real.deepCopy().without("id").toString());
            devices.add(real.deepCopy().set("id", real.deepCopy().retain("deviceName")).toString());
            devices.add(real.deepCopy().put("id", "dev-303").put("lastSyncDateTime", "yesterday").toString());
            devices.add("null");
            devices.add(real.deepCopy().put("id", "dev-305")
                    .put("deviceName", org.itsmhub.testkit.contract.SourceConnectorContractTest.Poison.hugeText())
                    .toString());
        }
        vendor.stubFor(get(urlPathEqualTo(DEVICES_PATH)).willReturn(okJson(page(devices, null))));
    }
}
