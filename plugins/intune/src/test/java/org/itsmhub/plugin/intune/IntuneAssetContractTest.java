package org.itsmhub.plugin.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.AssetSourceContractTest;

/**
 * The test kit's asset-source contract, over the same stubs as {@link IntuneFindingContractTest}.
 * Request counts are of Graph calls: the token request before the first one is the grant, not a retry.
 */
class IntuneAssetContractTest extends AssetSourceContractTest {

    /** Every cycle sweeps all managed devices. */
    @Override
    protected boolean readsWholeState() {
        return true;
    }

    @Override
    protected ConnectorFactory factory() {
        return new IntuneConnectorFactory();
    }

    @Override
    protected Clock clock() {
        return Clock.fixed(IntuneFindingContractTest.NOW, ZoneOffset.UTC);
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return IntuneStubs.config(baseUrl, secret);
    }

    @Override
    protected void stubChangedRecords(int total, int pageSize) {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        IntuneStubs.stubDevicePages(VENDOR, total, pageSize, i -> IntuneStubs.device("dev-" + i, "PC-" + i,
                i % 2 == 0 ? "compliant" : "noncompliant", "2024-03-09T08:00:00Z", true));
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        IntuneFindingContractTest.assertResumedAsNewSweep(cursor, requests);
    }

    @Override
    protected void stubAuthenticationFailure() {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        VENDOR.stubFor(any(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(401,
                "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        VENDOR.stubFor(any(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(429,
                "TooManyRequests", "Too many requests.").withHeader("Retry-After", Integer.toString(seconds))));
    }

    @Override
    protected void stubServerError() {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        VENDOR.stubFor(any(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(503,
                "ServiceUnavailable", "Service is unavailable.")));
    }

    @Override
    protected void stubMalformedBody() {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        VENDOR.stubFor(any(urlPathEqualTo(IntuneStubs.DEVICES_PATH))
                .willReturn(okJson("{\"value\": \"this is not a list of devices\"}")));
    }

    @Override
    protected List<LoggedRequest> requests() {
        return super.requests().stream().filter(IntuneStubs::isGraph).toList();
    }

    /** The good devices' records are what a read of them alone returns. */
    @Override
    protected Set<String> stubPageWithPoison() {
        IntuneStubs.stubToken(VENDOR, "contract-token");
        IntuneStubs.stubDevicesWithPoison(VENDOR, false);
        Set<String> good = new java.util.HashSet<>(readAll(null).stream().map(this::idOf).toList());
        VENDOR.resetAll();
        IntuneStubs.stubToken(VENDOR, "contract-token");
        IntuneStubs.stubDevicesWithPoison(VENDOR, true);
        return good;
    }
}
