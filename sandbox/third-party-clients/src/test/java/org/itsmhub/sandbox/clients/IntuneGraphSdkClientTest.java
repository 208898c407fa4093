package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.ComplianceState;
import com.microsoft.graph.models.ManagedDevice;
import com.microsoft.graph.models.ManagedDeviceCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import io.netty.handler.ssl.SslContextBuilder;
import okhttp3.OkHttpClient;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.intune.IntuneSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft's Graph SDK for Java (6.61.0, with Kiota and OkHttp 4), unpatched, against the Intune sandbox in
 * https mode, wired the way Microsoft documents it: azure-identity's {@code ClientSecretCredential} fetches
 * the token from the sandbox's identity endpoint, Kiota's {@code AzureIdentityAuthenticationProvider} adds
 * it only for the allowed host, and the SDK's own OkHttp client (its Graph middleware) trusts only the
 * sandbox's certificate. The only thing pointed elsewhere than Microsoft is the base URL and the authority.
 */
class IntuneGraphSdkClientTest {

    private static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    private static final String SECRET = "graph-sdk-secret";
    /** Of the seed (testdata/intune): the compliant laptop, and the phone in its grace period. */
    private static final String LAPTOP = "3f9c2d4e-8a1b-4c7d-9e6f-0a2b4c6d8e1f";
    private static final String PHONE = "c4a7e2f9-5b3d-4e8a-a1c6-9d0b2e4f6a8c";

    @TempDir
    Path tls;

    private HttpsSandbox<IntuneSandbox> https;

    @BeforeEach
    void start() {
        SandboxOptions options = SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null,
                VendorTestData.path("intune", "managedDevices_list_itsmhub.json"))));
        https = HttpsSandbox.start(o -> new IntuneSandbox(o, Clock.systemUTC(), SECRET), options, tls);
    }

    @AfterEach
    void stop() {
        https.close();
    }

    /** The SDK's OkHttp client (Graph's middleware chain), trusting only the sandbox's certificate. */
    private OkHttpClient okHttp() {
        return GraphClientFactory.create().sslSocketFactory(https.sslContext().getSocketFactory(), https.trustManager())
                .build();
    }

    /** azure-identity's client-secret credential with its authority on the sandbox, over the sandbox's trust. */
    private TokenCredential credential(String secret) {
        var netty = reactor.netty.http.client.HttpClient.create().secure(spec -> {
            try {
                spec.sslContext(SslContextBuilder.forClient().trustManager(https.trustManager()).build());
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
        });
        return new ClientSecretCredentialBuilder().tenantId(IntuneSandbox.TENANT).clientId(IntuneSandbox.CLIENT_ID)
                .clientSecret(secret).authorityHost(https.baseUrl())
                // instance discovery would ask login.microsoftonline.com whether the authority is known
                .disableInstanceDiscovery()
                .httpClient(new NettyAsyncHttpClientBuilder(netty).build()).build();
    }

    private GraphServiceClient graph(BaseBearerTokenAuthenticationProvider auth) {
        GraphServiceClient client = new GraphServiceClient(auth, okHttp());
        client.getRequestAdapter().setBaseUrl(https.baseUrl() + "/v1.0");
        return client;
    }

    private GraphServiceClient graph(String secret) {
        return graph(new AzureIdentityAuthenticationProvider(credential(secret), new String[] {"127.0.0.1"}, GRAPH_SCOPE));
    }

    private List<ServeEvent> journal(String pathPrefix) {
        List<ServeEvent> events = new ArrayList<>(https.sandbox().wiremock().getAllServeEvents());
        java.util.Collections.reverse(events); // newest first in WireMock's journal
        return events.stream().filter(e -> e.getRequest().getUrl().startsWith(pathPrefix)).toList();
    }

    private void addDevice(String id, String name) throws Exception {
        HttpResponse<String> r = control("POST", "/__sandbox/devices", """
                {"id":"%s","deviceName":"%s","operatingSystem":"Windows","complianceState":"compliant",
                 "lastSyncDateTime":"now","isEncrypted":true}""".formatted(id, name));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private HttpResponse<String> control(String method, String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(https.sslContext()).build();
        return http.send(HttpRequest.newBuilder(URI.create(https.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSdksPageIteratorFollowsTheSandboxesHttpsNextLinksThroughEveryDevice() throws Exception {
        addDevice("11111111-0000-4000-8000-000000000001", "PC-0001");
        addDevice("11111111-0000-4000-8000-000000000002", "PC-0002");
        GraphServiceClient graph = graph(SECRET);

        ManagedDeviceCollectionResponse first = graph.deviceManagement().managedDevices().get(rc -> {
            rc.queryParameters.top = 2;
            rc.queryParameters.select = new String[] {"id", "deviceName", "complianceState", "lastSyncDateTime"};
        });
        List<ManagedDevice> all = new ArrayList<>();
        PageIterator<ManagedDevice, ManagedDeviceCollectionResponse> pages = new PageIterator.Builder<ManagedDevice,
                ManagedDeviceCollectionResponse>().client(graph).collectionPage(first)
                .collectionPageFactory(ManagedDeviceCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(d -> all.add(d)).build();
        pages.iterate();

        assertThat(first.getOdataNextLink()).startsWith(https.baseUrl() + "/v1.0/deviceManagement/managedDevices?");
        assertThat(all).extracting(ManagedDevice::getId).containsExactly(LAPTOP, "8e1d4b7a-2c5f-4a9e-b3d6-7f0c1e2a3b4d",
                PHONE, "11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002");
        assertThat(all.get(2).getDeviceName()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(all.get(2).getComplianceState()).isEqualTo(ComplianceState.InGracePeriod);
        assertThat(all).allSatisfy(d -> assertThat(d.getLastSyncDateTime()).isNotNull());
        assertThat(all.get(0).getSerialNumber()).as("not selected").isNull();
        List<ServeEvent> lists = journal("/v1.0/deviceManagement/managedDevices");
        assertThat(lists).hasSize(3);
        assertThat(lists.get(0).getRequest().queryParameter("$top").firstValue()).isEqualTo("2");
        assertThat(lists.get(2).getRequest().queryParameter("$skiptoken").isPresent()).isTrue();
        assertThat(lists).allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).startsWith("Bearer sandbox-at-"));
        // not one token for all pages: MSAL4J 1.23.1 does not find its cached token when the authority
        // has a port (measured: on https://127.0.0.1 without a port it does), which no real Entra has
        assertThat(journal("/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getRequest().getBodyAsString()).contains("grant_type=client_credentials"));
    }

    @Test
    void theSdkReadsOneDeviceByIdWithEveryPropertyOrOnlyTheSelectedOnes() {
        GraphServiceClient graph = graph(SECRET);

        ManagedDevice full = graph.deviceManagement().managedDevices().byManagedDeviceId(LAPTOP).get();
        ManagedDevice selected = graph.deviceManagement().managedDevices().byManagedDeviceId(PHONE)
                .get(rc -> rc.queryParameters.select = new String[] {"deviceName", "complianceState"});

        assertThat(full.getId()).isEqualTo(LAPTOP);
        assertThat(full.getIsEncrypted()).isTrue();
        assertThat(full.getWiFiMacAddress()).isEqualTo("F4267935A21C");
        assertThat(full.getAzureADDeviceId()).isEqualTo("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");
        assertThat(full.getLastSyncDateTime()).isNotNull();
        assertThat(full.getPhysicalMemoryInBytes()).isNotNull();
        assertThat(full.getDeviceHealthAttestationState()).isNotNull();
        assertThat(selected.getDeviceName()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(selected.getComplianceState()).isEqualTo(ComplianceState.InGracePeriod);
        assertThat(selected.getSerialNumber()).isNull();
        ServeEvent byId = journal("/v1.0/deviceManagement/managedDevices/" + PHONE).get(0);
        assertThat(byId.getRequest().queryParameter("$select").firstValue()).isEqualTo("deviceName,complianceState");
    }

    @Test
    void aDeviceChangedThroughTheControlApiIsWhatTheSdkReadsNext() throws Exception {
        GraphServiceClient graph = graph(SECRET);
        assertThat(graph.deviceManagement().managedDevices().byManagedDeviceId(PHONE).get().getComplianceState())
                .isEqualTo(ComplianceState.InGracePeriod);

        HttpResponse<String> changed = control("POST", "/__sandbox/devices/" + PHONE,
                "{\"complianceState\":\"noncompliant\",\"lastSyncDateTime\":\"now\"}");
        ManagedDevice after = graph.deviceManagement().managedDevices().byManagedDeviceId(PHONE).get();

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(after.getComplianceState()).isEqualTo(ComplianceState.Noncompliant);
        assertThat(after.getLastSyncDateTime().toInstant()).isAfter(java.time.Instant.now().minusSeconds(60));
    }

    @Test
    void aTokenTheSandboxNeverIssuedIsRefusedWithGraphs401ThatTheSdkDecodes() {
        AccessTokenProvider stranger = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, java.util.Map<String, Object> context) {
                return "a-token-from-another-tenant";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator("127.0.0.1");
            }
        };
        GraphServiceClient graph = graph(new BaseBearerTokenAuthenticationProvider(stranger));

        assertThatThrownBy(() -> graph.deviceManagement().managedDevices().get()).isInstanceOfSatisfying(ODataError.class,
                e -> {
                    assertThat(e.getResponseStatusCode()).isEqualTo(401);
                    assertThat(e.getError().getCode()).isEqualTo("InvalidAuthenticationToken");
                    assertThat(e.getError().getMessage()).isNotBlank();
                    assertThat(e.getError().getInnerError().getRequestId()).isNotBlank();
                    assertThat(e.getResponseHeaders().get("WWW-Authenticate")).isNotEmpty();
                });
        assertThat(journal("/v1.0/").get(0).getRequest().getHeader("Authorization"))
                .isEqualTo("Bearer a-token-from-another-tenant");
    }

    @Test
    void aWrongClientSecretIsRefusedByTheIdentityEndpointBeforeGraphIsCalled() {
        GraphServiceClient graph = graph("not-the-secret");

        Throwable thrown = catchThrowable(() -> graph.deviceManagement().managedDevices().get());

        Throwable cause = thrown;
        while (cause != null && !(cause instanceof MsalServiceException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("MSAL's decoding of the identity endpoint's answer, in " + thrown).isNotNull();
        MsalServiceException refused = (MsalServiceException) cause;
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("invalid_client");
        assertThat(refused.getMessage()).startsWith("AADSTS7000215: Invalid client secret provided.");
        assertThat(journal("/v1.0/")).isEmpty();
        // not one token for all pages: MSAL4J 1.23.1 does not find its cached token when the authority
        // has a port (measured: on https://127.0.0.1 without a port it does), which no real Entra has
        assertThat(journal("/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token")).isNotEmpty();
    }
}
