package org.itsmhub.sandbox.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.servicenow.ServiceNowConnectorFactory;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.itsmhub.plugin.servicenow.dto.TableResult;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.itsmhub.sandbox.VendorSandboxProvider;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The real ServiceNow connector against the sandbox, and the sandbox against the real fixtures. */
class ServiceNowSandboxTest {

    static final String FIXTURE = "itential_GET_table_incident_by_sys_id.json";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static DefaultCamelContext camel;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Moves one second on every look, so every write gets a later sys_updated_on. */
    private final Clock ticking = new Clock() {
        private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond() - 3600);

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ServiceNowSandbox sandbox(SandboxOptions options) {
        ServiceNowSandbox s = new ServiceNowSandbox(options, ticking, ServiceNowSandbox.DEFAULT_USER,
                ServiceNowSandbox.DEFAULT_PASSWORD);
        s.start();
        open.add(s);
        return s;
    }

    private Connector connector(ServiceNowSandbox s, Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("instance.url", s.baseUrl(),
                "auth.user", ServiceNowSandbox.DEFAULT_USER, "auth.password", ServiceNowSandbox.DEFAULT_PASSWORD));
        raw.putAll(extra);
        ServiceNowConnectorFactory f = new ServiceNowConnectorFactory();
        Connector c = f.create(TestConnectorContext.of(f, raw, Clock.systemUTC()).withService(CamelContext.class, camel));
        open.add(c);
        return c;
    }

    private Path seedFile(int count) throws Exception {
        StringBuilder sb = new StringBuilder("{\"result\":[");
        Instant base = Instant.now().minusSeconds(7200);
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append("""
                    {"sys_id":"%032x","number":"INC%07d","short_description":"Seeded %d","state":"2","impact":"2",
                     "urgency":"2","priority":"3","opened_by":{"link":"https://x/api/now/table/sys_user/6816f79cc0a8016401c5a33be04be441",
                     "value":"6816f79cc0a8016401c5a33be04be441"},"sys_created_on":"%s","sys_updated_on":"%s"}"""
                    .formatted(0xbeef00 + i, i, i, ServiceNowSandbox.TIMESTAMP.format(base),
                            ServiceNowSandbox.TIMESTAMP.format(base.plusSeconds(i / 2)))); // two records per second
        }
        Path file = dir.resolve("incidents.json");
        Files.writeString(file, sb.append("]}").toString());
        return file;
    }

    private static List<Ticket> readAll(TicketSource source, Cursor from, int pageSize) {
        List<Ticket> all = new ArrayList<>();
        Cursor cursor = from;
        for (int i = 0; i < 100; i++) {
            Page<Ticket> page = source.readChanges(new ReadRequest(cursor, Map.of(), pageSize));
            all.addAll(page.items());
            cursor = page.next();
            if (!page.hasMore()) {
                return all;
            }
        }
        throw new AssertionError("paging does not end");
    }

    @Test
    void theConnectorReadsEverySeededTicketPageByPage() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withSeeds(List.of(
                SandboxOptions.Seed.parse("incident=" + seedFile(7)))));
        TicketSource source = connector(s, Map.of()).capability(TicketSource.class).orElseThrow();

        List<Ticket> all = readAll(source, null, 3);

        assertThat(all).hasSize(7).extracting(t -> t.ref().id()).doesNotHaveDuplicates();
        assertThat(all).extracting(Ticket::title).contains("Seeded 0", "Seeded 6");
        assertThat(all.get(0).attributes()).containsEntry("opened_by", "6816f79cc0a8016401c5a33be04be441");
        assertThat(s.wiremock().getAllServeEvents()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void writesAreVisibleToLaterReadsAndTimestampsMove() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        Connector c = connector(s, Map.of());
        TicketSink sink = c.capability(TicketSink.class).orElseThrow();
        TicketSource source = c.capability(TicketSource.class).orElseThrow();

        ExternalRef ref = sink.create(Ticket.builder().title("Mail server down").description("since 8:00")
                .priority(Priority.P1).build(), "hub-42");
        Ticket created = sink.findByCorrelationId("hub-42").orElseThrow();
        sink.update(ref.id(), created.toBuilder().title("Mail server down (EU)").build(), EnumSet.of(TicketField.TITLE));
        sink.addComment(ref.id(), new Comment(null, Person.named("Ann"), "Restarting now", Instant.now(), Visibility.PUBLIC));
        sink.addComment(ref.id(), new Comment(null, null, "disk full on mx1", Instant.now(), Visibility.INTERNAL));
        sink.changeStatus(ref.id(), TicketStatus.RESOLVED, "Disk cleaned");
        Ticket after = source.fetch(ref.id()).orElseThrow();

        assertThat(created.ref()).isEqualTo(ref);
        assertThat(created.correlationId()).isEqualTo("hub-42");
        assertThat(created.priority()).isEqualTo(Priority.P1);
        assertThat(created.attributes()).containsEntry("correlation_display", "ITSM Hub");
        assertThat(after.title()).isEqualTo("Mail server down (EU)");
        assertThat(after.status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(after.attributes()).containsEntry("close_code", "Solved (Permanently)")
                .containsEntry(Ticket.RESOLUTION_NOTE, "Disk cleaned");
        assertThat(after.updatedAt()).isAfter(created.updatedAt());
        assertThat(source.comments(ref.id())).extracting(Comment::visibility, Comment::body).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Visibility.PUBLIC, "Ann wrote:\n\nRestarting now"),
                org.assertj.core.groups.Tuple.tuple(Visibility.INTERNAL, "disk full on mx1"));
        assertThat(readAll(source, null, 10)).extracting(t -> t.ref().id()).containsExactly(ref.id());
    }

    /** 64 KB of text with line breaks and non-ASCII characters, distinct per use. */
    static String large(String label) {
        StringBuilder sb = new StringBuilder(label).append('\n');
        for (int line = 0; sb.length() < 64 * 1024; line++) {
            sb.append("Zeile ").append(line).append(": Drucker im 2. Stock zeigt \"Papierstau\" – bitte prüfen.\n");
        }
        return sb.toString();
    }

    @Test
    void createsUpdatesAndCommentsWith64KbBodiesArriveWhole() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        Connector c = connector(s, Map.of());
        TicketSink sink = c.capability(TicketSink.class).orElseThrow();
        TicketSource source = c.capability(TicketSource.class).orElseThrow();
        String description = large("description");
        String changed = large("changed description");
        String comment = large("comment");

        ExternalRef ref = sink.create(Ticket.builder().title("Large").description(description).build(), "hub-big");
        Ticket created = source.fetch(ref.id()).orElseThrow();
        sink.update(ref.id(), created.toBuilder().description(changed).build(), EnumSet.of(TicketField.DESCRIPTION));
        sink.addComment(ref.id(), new Comment(null, null, comment, Instant.now(), Visibility.INTERNAL));

        assertThat(created.description()).isEqualTo(description);
        assertThat(source.fetch(ref.id()).orElseThrow().description()).isEqualTo(changed);
        assertThat(source.comments(ref.id())).extracting(Comment::body).containsExactly(comment);
        List<String> writes = s.wiremock().getAllServeEvents().stream()
                .filter(e -> !e.getRequest().getMethod().getName().equals("GET"))
                .map(e -> e.getRequest().getMethod().getName() + " " + e.getResponse().getStatus() + " "
                        + (e.getRequest().getBody().length > 64 * 1024))
                .toList();
        assertThat(writes).containsExactly("PATCH 200 true", "PATCH 200 true", "POST 201 true");
    }

    @Test
    void aJournalEntryKeepsItsLinesAndTheHubsZeroWidthMarkerAsSent() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        Connector c = connector(s, Map.of());
        TicketSink sink = c.capability(TicketSink.class).orElseThrow();
        TicketSource source = c.capability(TicketSource.class).orElseThrow();
        ExternalRef ref = sink.create(Ticket.builder().title("Printer").build(), "hub-43");
        String text = "Toner ordered\nnext week\n\n— Ann, via freshdesk\u200D\u200B\u200C\u200C\u200B\u200D";

        sink.addComment(ref.id(), new Comment(null, Person.named("Ann"), text, Instant.now(), Visibility.PUBLIC));

        assertThat(source.comments(ref.id())).singleElement().extracting(Comment::body)
                .isEqualTo("Ann wrote:\n\n" + text);
    }

    @Test
    void wrongCredentialsGetServiceNowsOwn401() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        Connector c = connector(s, Map.of("auth.password", "wrong"));

        assertThatThrownBy(() -> c.capability(TicketSource.class).orElseThrow()
                .readChanges(new ReadRequest(null, Map.of(), 10))).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("User Not Authenticated");
        assertThat(c.checkConnection()).extracting(ConfigProblem::key).containsExactly("auth.password");
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(s.baseUrl() + "/api/now/table/incident")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(raw.body())).isEqualTo(JSON.readTree(
                "{\"error\":{\"message\":\"User Not Authenticated\",\"detail\":\"Required to provide Auth information\"},"
                        + "\"status\":\"failure\"}"));
    }

    @Test
    void theOauthPasswordGrantGivesABearerToken() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        Connector c = connector(s, Map.of("oauth.client.id", "sandbox-client", "oauth.client.secret", "sandbox-secret"));

        assertThat(c.checkConnection()).isEmpty();
    }

    @Test
    void overTheRateLimitTheConnectorGetsARetriable429() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withRateLimit(1, Duration.ofMinutes(1)));
        TicketSource source = connector(s, Map.of()).capability(TicketSource.class).orElseThrow();
        source.readChanges(new ReadRequest(null, Map.of(), 10));

        assertThatThrownBy(() -> source.readChanges(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> {
                    assertThat(e.retryAfter()).isPresent();
                    assertThat(e.getMessage()).contains("HTTP 429", "Rate limit exceeded");
                });
    }

    @Test
    void aSeededRealResponseComesBackWithTheSameFieldsAndDecodesTheSame() throws Exception {
        Path fixture = VendorTestData.path("servicenow", FIXTURE);
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withSeeds(List.of(
                SandboxOptions.Seed.parse("incident=" + fixture))));
        JsonNode real = JSON.readTree(Files.readString(fixture)).get("result");

        JsonNode served = JSON.readTree(get(s, "/api/now/table/incident/" + real.get("sys_id").asText())).get("result");

        assertThat(fieldNames(served)).isEqualTo(fieldNames(real));
        assertThat(served).isEqualTo(real);
        assertThat(IncidentRecord.of(TableResult.single("{\"result\":" + served + "}", "sandbox")))
                .isEqualTo(IncidentRecord.of(real));
    }

    @Test
    void aRecordCreatedInTheSandboxHasTheFieldsOfARealCreateResponse() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(s.baseUrl() + "/api/now/table/incident")).header("Authorization", basic())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"short_description\":\"Create Table Record\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode real = JSON.readTree(VendorTestData.read("servicenow", "itential_POST_table_incident_created.json"))
                .get("result");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode served = JSON.readTree(created.body()).get("result");
        assertThat(fieldNames(served)).containsExactlyInAnyOrderElementsOf(fieldNames(real));
        IncidentRecord mine = IncidentRecord.of(served);
        IncidentRecord theirs = IncidentRecord.of(real);
        assertThat(mine.state()).isEqualTo(theirs.state());
        assertThat(mine.priority()).isEqualTo(theirs.priority());
        assertThat(mine.impact()).isEqualTo(theirs.impact());
        assertThat(mine.sysId()).matches("[0-9a-f]{32}");
        assertThat(mine.number()).matches("INC\\d{7}");
        assertThat(mine.sysUpdatedOn()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void listsPageWithLinkHeadersAndTotalCount() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withSeeds(List.of(
                SandboxOptions.Seed.parse(seedFile(5).toString()))));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl()
                + "/api/now/table/incident?sysparm_query=ORDERBYnumber&sysparm_limit=2&sysparm_offset=2"))
                .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.headers().firstValue("X-Total-Count")).contains("5");
        String query = "/api/now/table/incident?sysparm_query=ORDERBYnumber&sysparm_limit=2&sysparm_offset=";
        assertThat(r.headers().firstValue("Link").orElseThrow()).isEqualTo(String.join(",",
                "<" + s.baseUrl() + query + "0>;rel=\"first\"", "<" + s.baseUrl() + query + "0>;rel=\"prev\"",
                "<" + s.baseUrl() + query + "4>;rel=\"next\"", "<" + s.baseUrl() + query + "4>;rel=\"last\""));
        assertThat(JSON.readTree(r.body()).get("result")).extracting(n -> n.get("number").asText())
                .containsExactly("INC0000002", "INC0000003");
    }

    @Test
    void theSandboxPageListsExactlyTheEndpointsThisSandboxServes() {
        ServiceNowSandbox unstarted = new ServiceNowSandbox(SandboxOptions.defaults(), Clock.systemUTC(), "admin", "pw");

        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("servicenow"),
                SandboxRoutes.docsEndMarker("servicenow"), unstarted.routes().markdownTable());
    }

    @Test
    void aKnownPathWithAnotherMethodGets405AfterAuthAndAnUnknownUri400() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());

        HttpResponse<String> wrongMethod = send(s, "DELETE", "/api/now/table/incident", basic());
        HttpResponse<String> wrongMethodNoAuth = send(s, "DELETE", "/api/now/table/incident", "Basic eDp5");
        HttpResponse<String> unknown = send(s, "GET", "/api/now/table/incident/abc/def", basic());

        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(wrongMethod.body()).path("error").path("message").asText()).isEqualTo("Method not Supported");
        assertThat(wrongMethodNoAuth.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText())
                .isEqualTo("Requested URI does not represent any resource");
    }

    @Test
    void aDeletedRecordIsGoneAndASecondDeleteGets404() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withSeeds(List.of(
                SandboxOptions.Seed.parse(seedFile(2).toString()))));
        String id = String.format("%032x", 0xbeef00);

        HttpResponse<String> deleted = send(s, "DELETE", "/api/now/table/incident/" + id, basic());
        HttpResponse<String> again = send(s, "DELETE", "/api/now/table/incident/" + id, basic());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(s.records("incident")).extracting(r -> r.get("sys_id").asText()).doesNotContain(id).hasSize(1);
    }

    private static HttpResponse<String> send(ServiceNowSandbox s, String method, String path, String auth) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", auth).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inHttpsModeThePagingLinksCarryTheHttpsBaseUrlAndLeadToTheNextPage() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults().withTls(dir.resolve("tls")).withSeeds(List.of(
                SandboxOptions.Seed.parse(seedFile(3).toString()))));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(s)).build();

        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(s.baseUrl()
                + "/api/now/table/incident?sysparm_query=ORDERBYnumber&sysparm_limit=2")).header("Authorization", basic())
                .build(), HttpResponse.BodyHandlers.ofString());
        String next = java.util.Arrays.stream(first.headers().firstValue("Link").orElseThrow().split(","))
                .filter(l -> l.endsWith("rel=\"next\"")).findFirst().orElseThrow().replaceAll("^<(.*)>;.*$", "$1");
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", basic())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(s.baseUrl()).startsWith("https://127.0.0.1:");
        assertThat(next).startsWith(s.baseUrl() + "/api/now/table/incident?");
        assertThat(JSON.readTree(second.body()).get("result")).extracting(n -> n.get("number").asText())
                .containsExactly("INC0000002");
        assertThat(second.headers().firstValue("X-Total-Count")).contains("3");
    }

    static javax.net.ssl.SSLContext trusting(org.itsmhub.sandbox.VendorSandbox s) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(s.certificate().orElseThrow().trustStore())) {
            trust.load(in, org.itsmhub.sandbox.SandboxCertificate.STORE_PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    // ---- CMDB

    static Asset intuneDevice(String osVersion) {
        return new Asset(ExternalRef.of("intune", "acme-intune", "d-1"),
                new AssetIdentity("SN-4711", "LT-ANN", null, List.of("00:1A:2B:3C:4D:5E"), List.of(),
                        Map.of("azureAdDeviceId", "aad-1")),
                "LT-ANN", "Windows", osVersion, null, Instant.parse("2026-01-09T08:30:00Z"), Map.of());
    }

    static Asset nessusHost() {
        return new Asset(ExternalRef.of("nessus", "acme-nessus", "h-7"),
                new AssetIdentity(null, null, null, List.of("00-1a-2b-3c-4d-5e"), List.of("10.0.0.7"), Map.of()),
                null, null, null, null, Instant.parse("2026-01-09T09:00:00Z"), Map.of());
    }

    private AssetSink cmdb(ServiceNowSandbox s, String api) {
        return connector(s, Map.of("cmdb.api", api)).capability(AssetSink.class).orElseThrow();
    }

    private static long writes(ServiceNowSandbox s, String method, String pathPrefix) {
        return s.wiremock().getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals(method)
                && e.getRequest().getUrl().startsWith(pathPrefix)).count();
    }

    @Test
    void theSameAssetUpsertedTwiceMakesOneCiInTableMode() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = cmdb(s, "table");

        ExternalRef first = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");
        ExternalRef again = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");
        ExternalRef changed = sink.upsert(intuneDevice("10.0.26100"), "itsmhub:acme:asset:1");

        assertThat(again).isEqualTo(first);
        assertThat(changed).isEqualTo(first);
        assertThat(first.url()).isEqualTo(s.baseUrl() + "/cmdb_ci_computer.do?sys_id=" + first.id());
        assertThat(s.records("cmdb_ci_computer")).singleElement().satisfies(ci -> {
            assertThat(ci.get("sys_id").asText()).isEqualTo(first.id());
            assertThat(ci.get("sys_class_name").asText()).isEqualTo("cmdb_ci_computer");
            assertThat(ci.get("install_status").asText()).isEqualTo("1");
            assertThat(ci.get("serial_number").asText()).isEqualTo("SN-4711");
            assertThat(ci.get("mac_address").asText()).isEqualTo("00:1a:2b:3c:4d:5e");
            assertThat(ci.get("os_version").asText()).isEqualTo("10.0.26100");
            assertThat(ci.get("correlation_id").asText()).isEqualTo("itsmhub:acme:asset:1");
            assertThat(ci.get("discovery_source").asText()).isEqualTo("Other Automated");
            assertThat(ci.get("sys_mod_count").asText()).isEqualTo("1");
        });
        assertThat(writes(s, "POST", "/api/now/table/cmdb_ci_computer")).isEqualTo(1);
        assertThat(writes(s, "PATCH", "/api/now/table/cmdb_ci_computer")).as("the unchanged second upsert writes nothing")
                .isEqualTo(1);
        assertThat(s.records(ServiceNowSandbox.JOURNAL)).isEmpty();
    }

    @Test
    void theSameAssetUpsertedTwiceMakesOneCiInIreMode() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = cmdb(s, "ire");

        ExternalRef first = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");
        ExternalRef again = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");

        assertThat(again).isEqualTo(first);
        assertThat(s.records("cmdb_ci_computer")).singleElement().satisfies(ci -> {
            assertThat(ci.get("sys_id").asText()).isEqualTo(first.id());
            assertThat(ci.get("sys_mod_count").asText()).as("NO_CHANGE writes nothing").isEqualTo("0");
            assertThat(ci.get("first_discovered").asText()).isNotEmpty();
        });
        assertThat(s.records("cmdb_serial_number")).singleElement().satisfies(sn -> {
            assertThat(sn.get("serial_number").asText()).isEqualTo("SN-4711");
            assertThat(sn.get("cmdb_ci").asText()).isEqualTo(first.id());
        });
        assertThat(s.records("cmdb_ci_network_adapter")).singleElement()
                .satisfies(a -> assertThat(a.get("cmdb_ci").asText()).isEqualTo(first.id()));
        assertThat(writes(s, "POST", "/api/now/identifyreconcile")).isEqualTo(2);
    }

    @Test
    void aNessusHostWithOnlyAMacMatchesTheCiOfTheIntuneDeviceWithThatMacInIreMode() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = cmdb(s, "ire");

        ExternalRef device = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");
        ExternalRef host = sink.upsert(nessusHost(), "itsmhub:acme:asset:2");

        assertThat(host.id()).isEqualTo(device.id());
        assertThat(s.records("cmdb_ci_computer")).singleElement().satisfies(ci -> {
            assertThat(ci.get("name").asText()).as("a MAC-only asset never renames the CI").isEqualTo("LT-ANN");
            assertThat(ci.get("ip_address").asText()).isEqualTo("10.0.0.7");
            assertThat(ci.get("serial_number").asText()).isEqualTo("SN-4711");
        });
        assertThat(s.records("cmdb_ci_network_adapter")).hasSize(1);
    }

    @Test
    void inTableModeANessusHostOnlySharingAMacIsASecondCiBecauseOnlyIdAndSerialAreLookedUp() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = cmdb(s, "table");

        ExternalRef device = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");
        ExternalRef host = sink.upsert(nessusHost(), "itsmhub:acme:asset:2");

        assertThat(host.id()).isNotEqualTo(device.id());
        assertThat(s.records("cmdb_ci_computer")).extracting(ci -> ci.get("name").asText())
                .containsExactlyInAnyOrder("LT-ANN", "00:1a:2b:3c:4d:5e");
    }

    @Test
    void aStaleCiIsMarkedAbsentNotDeletedAndFoundByItsCorrelationId() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = cmdb(s, "table");
        ExternalRef ref = sink.upsert(intuneDevice("10.0.22631"), "itsmhub:acme:asset:1");

        sink.markStale(ref.id(), "not seen for 30 days");

        assertThat(sink.findByCorrelationId("itsmhub:acme:asset:1")).contains(ref);
        assertThat(sink.findByCorrelationId("itsmhub:acme:asset:9")).isEmpty();
        assertThat(s.records("cmdb_ci_computer")).singleElement().satisfies(ci -> {
            assertThat(ci.get("install_status").asText()).isEqualTo("100");
            assertThat(ci.get("comments").asText()).contains("Marked stale by ITSM Hub", "not seen for 30 days");
        });
        assertThat(writes(s, "DELETE", "/api")).isZero();
    }

    @Test
    void identifyReconcileAnswersInTheRealShapeAndRejectsWhatARealInstanceRejects() throws Exception {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        String item = "{\"items\":[{\"className\":\"cmdb_ci_computer\",\"values\":{\"name\":\"lnux101\"}}]}";

        JsonNode inserted = JSON.readTree(ire(s, "ServiceNow", item, basic()).body()).path("result");
        JsonNode unknownSource = JSON.readTree(ire(s, "Bogus", item, basic()).body()).path("result").path("items").get(0);
        JsonNode noIdentifiers = JSON.readTree(ire(s, "ServiceNow",
                "{\"items\":[{\"className\":\"cmdb_ci_computer\",\"values\":{\"os\":\"Linux\"}}]}", basic()).body())
                .path("result").path("items").get(0);
        HttpResponse<String> anonymous = ire(s, "ServiceNow", item, "Basic eDp5");

        assertThat(fieldNames(inserted)).containsExactly("items", "additionalCommittedItems", "relations",
                "additionalCommittedRelations");
        JsonNode first = inserted.path("items").get(0);
        assertThat(first.path("operation").asText()).isEqualTo("INSERT");
        assertThat(first.path("sysId").asText()).matches("[0-9a-f]{32}");
        assertThat(first.path("identificationAttempts")).extracting(a -> a.path("attemptResult").asText())
                .containsExactly("SKIPPED", "SKIPPED", "NO_MATCH", "SKIPPED");
        assertThat(((ObjectNode) s.records("cmdb_ci_computer").get(0)).get("discovery_source").asText())
                .isEqualTo("ServiceNow");
        assertThat(unknownSource.path("sysId").asText()).isEqualTo("Unknown");
        assertThat(unknownSource.path("errors").get(0).path("error").asText()).isEqualTo("INVALID_INPUT_DATA");
        assertThat(noIdentifiers.path("errors").get(0).path("error").asText()).isEqualTo("MISSING_MATCHING_ATTRIBUTES");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).path("error").path("message").asText()).isEqualTo("User Not Authenticated");
        assertThat(s.records("cmdb_ci_computer")).hasSize(1);
    }

    @Test
    void anIreItemErrorReachesTheConnectorAsADataError() {
        ServiceNowSandbox s = sandbox(SandboxOptions.defaults());
        AssetSink sink = connector(s, Map.of("cmdb.api", "ire", "cmdb.data.source", "Spreadsheet"))
                .capability(AssetSink.class).orElseThrow();

        assertThatThrownBy(() -> sink.upsert(intuneDevice("10"), "itsmhub:acme:asset:1"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("INVALID_INPUT_DATA")
                .hasMessageContaining("Spreadsheet");
        assertThat(s.records("cmdb_ci_computer")).isEmpty();
    }

    private static HttpResponse<String> ire(ServiceNowSandbox s, String source, String body, String auth) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl()
                + "/api/now/identifyreconcile?sysparm_data_source=" + source)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(VendorSandboxProvider.class).stream().map(p -> p.get().vendor()))
                .contains("servicenow");
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ServiceNowSandbox.DEFAULT_USER + ":"
                + ServiceNowSandbox.DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static String get(ServiceNowSandbox s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
