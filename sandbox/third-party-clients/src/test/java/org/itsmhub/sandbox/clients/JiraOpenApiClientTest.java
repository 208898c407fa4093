package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.itsmhub.generated.jira.ApiClient;
import org.itsmhub.generated.jira.ApiException;
import org.itsmhub.generated.jira.api.IssueCommentsApi;
import org.itsmhub.generated.jira.api.IssueSearchApi;
import org.itsmhub.generated.jira.api.IssuesApi;
import org.itsmhub.generated.jira.api.MyselfApi;
import org.itsmhub.generated.jira.api.ProjectsApi;
import org.itsmhub.generated.jira.model.Comment;
import org.itsmhub.generated.jira.model.CreatedIssue;
import org.itsmhub.generated.jira.model.ErrorCollection;
import org.itsmhub.generated.jira.model.IssueBean;
import org.itsmhub.generated.jira.model.IssueTransition;
import org.itsmhub.generated.jira.model.IssueUpdateDetails;
import org.itsmhub.generated.jira.model.PageBeanProject;
import org.itsmhub.generated.jira.model.Project;
import org.itsmhub.generated.jira.model.SearchAndReconcileRequestBean;
import org.itsmhub.generated.jira.model.SearchAndReconcileResults;
import org.itsmhub.generated.jira.model.Transitions;
import org.itsmhub.generated.jira.model.User;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.jira.JiraSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The Jira sandbox driven over https by a client openapi-generator made from Atlassian's published Jira
 * Cloud platform document ({@code testdata/jira/spec/jira-cloud-platform-swagger-v3.v3.json}), unpatched.
 */
class JiraOpenApiClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH_EXAMPLE = "spec-examples/GET_rest_api_3_search_jql_200_example.json";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (JiraSandbox.EMAIL + ":" + JiraSandbox.API_TOKEN).getBytes(StandardCharsets.UTF_8));
    /** Transitions of the sandbox's workflow (docs/connectors/jira.md). */
    private static final String TO_IN_PROGRESS = "21";
    private static final String TO_RESOLVED = "51";

    @TempDir
    Path tls;

    private HttpsSandbox<JiraSandbox> https;
    private ApiClient client;
    private volatile String authorization = BASIC;

    @BeforeEach
    void start() {
        https = HttpsSandbox.start(options -> new JiraSandbox(options, Clock.systemUTC()),
                SandboxOptions.defaults().withSeeds(List.of(
                        new SandboxOptions.Seed(null, VendorTestData.path("jira", SEARCH_EXAMPLE)))),
                tls);
        for (int n = 1; n <= 5; n++) {
            https.sandbox().addSeed(issue("OPS-" + n, "Printer " + n + " is out of toner"));
        }
        client = new ApiClient();
        client.setHttpClientBuilder(HttpClient.newBuilder().sslContext(https.sslContext()));
        client.updateBaseUri(https.baseUrl());
        // the native library has no auth of its own: Jira's basic auth (email + API token) as a header
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
    }

    @AfterEach
    void stop() {
        https.close();
    }

    private static ObjectNode issue(String key, String summary) {
        ObjectNode issue = JSON.createObjectNode();
        issue.put("id", String.valueOf(30000 + Integer.parseInt(key.substring(key.indexOf('-') + 1))));
        issue.put("key", key);
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", summary);
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
        fields.put("created", now).put("updated", now);
        fields.putObject("project").put("id", "10100").put("key", "OPS").put("name", "Operations");
        ObjectNode status = fields.putObject("status").put("name", "Waiting for support").put("id", "10001");
        status.putObject("statusCategory").put("id", 2).put("key", "new").put("name", "To Do");
        fields.putObject("priority").put("name", "Medium").put("id", "3");
        return issue;
    }

    private List<LoggedRequest> journal(String method, String path) {
        List<LoggedRequest> out = new ArrayList<>();
        https.sandbox().wiremock().getAllServeEvents().forEach(e -> {
            LoggedRequest r = e.getRequest();
            if (r.getMethod().getName().equals(method) && URI.create(r.getUrl()).getPath().equals(path)) {
                out.add(0, r);
            }
        });
        return out;
    }

    private static JsonNode body(LoggedRequest request) throws IOException {
        return JSON.readTree(request.getBodyAsString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(IssueBean issue, String name) {
        return (Map<String, Object>) issue.getFields().get(name);
    }

    @Test
    void readsTheAccountItIsLoggedInAs() throws Exception {
        User me = new MyselfApi(client).getCurrentUser(null);

        assertThat(me.getAccountId()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(me.getAccountType()).isEqualTo(User.AccountTypeEnum.ATLASSIAN);
        assertThat(me.getEmailAddress()).isEqualTo(JiraSandbox.EMAIL);
        assertThat(me.getActive()).isTrue();
        assertThat(me.getTimeZone()).isEqualTo("UTC");
        assertThat(me.getSelf()).hasScheme("https");

        LoggedRequest sent = journal("GET", "/rest/api/3/myself").get(0);
        assertThat(sent.getAbsoluteUrl()).startsWith("https://127.0.0.1:");
        assertThat(sent.getHeader("Authorization")).isEqualTo(BASIC);
    }

    @Test
    void pagesThroughAJqlSearchWithNextPageToken() throws Exception {
        IssueSearchApi search = new IssueSearchApi(client);
        List<String> keys = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        SearchAndReconcileResults page;
        String token = null;
        do {
            page = search.searchAndReconsileIssuesUsingJqlPost(new SearchAndReconcileRequestBean()
                    .jql("project = OPS ORDER BY key ASC").maxResults(2).fields(List.of("summary", "status"))
                    .nextPageToken(token));
            page.getIssues().forEach(i -> keys.add(i.getKey()));
            token = page.getNextPageToken();
            tokens.add(token);
        } while (!Boolean.TRUE.equals(page.getIsLast()));

        assertThat(keys).containsExactly("OPS-1", "OPS-2", "OPS-3", "OPS-4", "OPS-5");
        assertThat(tokens).hasSize(3).last().isNull();
        assertThat(page.getIssues().get(0).getFields()).containsOnlyKeys("summary", "status");
        assertThat(field(page.getIssues().get(0), "status")).containsEntry("name", "Waiting for support");

        List<LoggedRequest> sent = journal("POST", "/rest/api/3/search/jql");
        assertThat(sent).hasSize(3);
        assertThat(body(sent.get(0)).has("nextPageToken")).isFalse();
        assertThat(body(sent.get(1)).path("nextPageToken").asText()).isEqualTo(tokens.get(0));
        assertThat(body(sent.get(2)).path("nextPageToken").asText()).isEqualTo(tokens.get(1));
        assertThat(body(sent.get(0)).path("maxResults").asInt()).isEqualTo(2);
        assertThat(sent.get(0).getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void searchesWithTheGetFormAndReadsTheSpecsOwnExampleIssue() throws Exception {
        SearchAndReconcileResults found = new IssueSearchApi(client).searchAndReconsileIssuesUsingJql(
                "key = ED-1", null, 50, List.of("summary", "project"), null, null, null, null, null);

        assertThat(found.getIssues()).extracting(IssueBean::getKey).containsExactly("ED-1");
        assertThat(found.getIsLast()).isTrue();
        assertThat(found.getNextPageToken()).isNull();
        LoggedRequest sent = journal("GET", "/rest/api/3/search/jql").get(0);
        assertThat(sent.queryParameter("jql").firstValue()).isEqualTo("key = ED-1");
        // the spec's "fields" is an exploded array: the generated client repeats the parameter
        assertThat(sent.queryParameter("fields").values()).containsExactly("summary", "project");
        assertThat(found.getIssues().get(0).getFields()).containsKey("summary");
        assertThat(found.getIssues().get(0).getFields()).containsKey("project");
    }

    @Test
    void readsAnIssueWithTheFieldsItAsksFor() throws Exception {
        IssueBean issue = new IssuesApi(client).getIssue("OPS-2", List.of("summary", "priority"), null, null, null,
                null, null);

        assertThat(issue.getKey()).isEqualTo("OPS-2");
        assertThat(issue.getId()).isEqualTo("30002");
        assertThat(issue.getSelf()).hasScheme("https").hasPath("/rest/api/3/issue/30002");
        assertThat(issue.getFields()).containsEntry("summary", "Printer 2 is out of toner");
        assertThat(field(issue, "priority")).containsEntry("name", "Medium");
        assertThat(journal("GET", "/rest/api/3/issue/OPS-2").get(0).queryParameter("fields").values())
                .containsExactly("summary", "priority");
    }

    @Test
    void updatesTheSummaryAndPriorityOfAnIssue() throws Exception {
        IssuesApi issues = new IssuesApi(client);
        issues.editIssue("OPS-3", new IssueUpdateDetails()
                .putFieldsItem("summary", "Printer 3 jams")
                .putFieldsItem("priority", Map.of("name", "High")), null, null, null, null, null);

        IssueBean after = issues.getIssue("OPS-3", null, null, null, null, null, null);
        assertThat(after.getFields()).containsEntry("summary", "Printer 3 jams");
        assertThat(field(after, "priority")).containsEntry("name", "High");
        JsonNode sent = body(journal("PUT", "/rest/api/3/issue/OPS-3").get(0));
        assertThat(sent.path("fields").path("summary").asText()).isEqualTo("Printer 3 jams");
        assertThat(sent.path("fields").path("priority").path("name").asText()).isEqualTo("High");
    }

    @Test
    void transitionsAnIssueAndResolvesItWithTheResolutionTheTransitionRequires() throws Exception {
        IssuesApi issues = new IssuesApi(client);
        Transitions offered = issues.getTransitions("OPS-1", "transitions.fields", null, null, null, null);

        assertThat(offered.getTransitions()).extracting(IssueTransition::getId).contains(TO_IN_PROGRESS, TO_RESOLVED)
                .doesNotContain("11");
        IssueTransition resolve = offered.getTransitions().stream().filter(t -> t.getId().equals(TO_RESOLVED))
                .findFirst().orElseThrow();
        assertThat(resolve.getTo().getName()).isEqualTo("Resolved");
        assertThat(resolve.getTo().getStatusCategory().getKey()).isEqualTo("done");
        assertThat(resolve.getFields()).containsKey("resolution");
        assertThat(resolve.getFields().get("resolution").getRequired()).isTrue();
        assertThat(resolve.getFields().get("resolution").getAllowedValues()).isNotEmpty();

        issues.doTransition("OPS-1", new IssueUpdateDetails().transition(new IssueTransition().id(TO_IN_PROGRESS)));
        assertThat(field(issues.getIssue("OPS-1", List.of("status"), null, null, null, null, null), "status"))
                .containsEntry("name", "In Progress");

        assertThatThrownBy(() -> issues.doTransition("OPS-1",
                new IssueUpdateDetails().transition(new IssueTransition().id(TO_RESOLVED))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(errors(e).getErrors()).containsKey("resolution");
                });
        issues.doTransition("OPS-1", new IssueUpdateDetails().transition(new IssueTransition().id(TO_RESOLVED))
                .putFieldsItem("resolution", Map.of("name", "Done")));

        IssueBean resolved = issues.getIssue("OPS-1", null, null, null, null, null, null);
        assertThat(field(resolved, "status")).containsEntry("name", "Resolved");
        assertThat(field(resolved, "resolution")).containsEntry("name", "Done");
        List<LoggedRequest> sent = journal("POST", "/rest/api/3/issue/OPS-1/transitions");
        assertThat(sent).hasSize(3);
        assertThat(body(sent.get(0)).path("transition").path("id").asText()).isEqualTo(TO_IN_PROGRESS);
        assertThat(body(sent.get(2)).path("fields").path("resolution").path("name").asText()).isEqualTo("Done");
        assertThat(journal("GET", "/rest/api/3/issue/OPS-1/transitions").get(0).queryParameter("expand").firstValue())
                .isEqualTo("transitions.fields");
    }

    @Test
    void refusesAWrongApiToken() {
        authorization = "Basic " + Base64.getEncoder().encodeToString(
                (JiraSandbox.EMAIL + ":wrong-token").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new MyselfApi(client).getCurrentUser(null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseBody()).contains("Client must be authenticated");
                });
        assertThat(journal("GET", "/rest/api/3/myself")).hasSize(1);
    }

    @Test
    void createsAnIssueWithAnAdfDescription() throws Exception {
        Map<String, Object> description = Map.of("type", "doc", "version", 1, "content", List.of(Map.of(
                "type", "paragraph", "content", List.of(Map.of("type", "text", "text", "Tray 2 is empty.")))));
        CreatedIssue created = new IssuesApi(client).createIssue(new IssueUpdateDetails()
                .putFieldsItem("project", Map.of("key", "OPS"))
                .putFieldsItem("issuetype", Map.of("name", "Task"))
                .putFieldsItem("summary", "Printer 6 is out of paper")
                .putFieldsItem("description", description), null);

        assertThat(created.getKey()).startsWith("OPS-");
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getSelf()).startsWith("https://");
        IssueBean read = new IssuesApi(client).getIssue(created.getKey(), null, null, null, null, null, null);
        assertThat(read.getFields()).containsEntry("summary", "Printer 6 is out of paper");
        assertThat(field(read, "description")).containsEntry("type", "doc");
        JsonNode sent = body(journal("POST", "/rest/api/3/issue").get(0));
        assertThat(sent.path("fields").path("description").path("content").get(0).path("content").get(0)
                .path("text").asText()).isEqualTo("Tray 2 is empty.");
    }

    @Test
    void addsACommentAndReadsItBack() throws Exception {
        Map<String, Object> adf = Map.of("type", "doc", "version", 1, "content", List.of(Map.of(
                "type", "paragraph", "content", List.of(Map.of("type", "text", "text", "Replaced the cartridge.")))));
        IssueCommentsApi comments = new IssueCommentsApi(client);

        Comment added = comments.addComment("OPS-4", new Comment().body(adf), null);

        assertThat(added.getId()).isNotBlank();
        assertThat(added.getAuthor().getAccountId()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(added.getCreated()).isNotNull();
        assertThat(comments.getComments("OPS-4", null, null, null, null).getComments())
                .extracting(Comment::getId).containsExactly(added.getId());
        JsonNode sent = body(journal("POST", "/rest/api/3/issue/OPS-4/comment").get(0));
        assertThat(sent.path("body").path("type").asText()).isEqualTo("doc");
    }

    @Test
    void pagesThroughTheProjectsWithStartAtAndIsLast() throws Exception {
        ProjectsApi projects = new ProjectsApi(client);
        List<String> keys = new ArrayList<>();
        PageBeanProject page;
        long startAt = 0;
        do {
            page = projects.searchProjects(startAt, 1, null, null, null, null, null, null, null, null, null, null,
                    null);
            page.getValues().forEach(p -> keys.add(p.getKey()));
            startAt += page.getValues().size();
        } while (!Boolean.TRUE.equals(page.getIsLast()));

        // the seeded issues' projects: EX (the project of the spec example's issue ED-1) and OPS
        assertThat(keys).containsExactlyInAnyOrder("EX", "OPS");
        assertThat(page.getTotal()).isEqualTo(2L);
        assertThat(page.getMaxResults()).isEqualTo(1);
        assertThat(journal("GET", "/rest/api/3/project/search"))
                .extracting(r -> r.queryParameter("startAt").firstValue() + "/" + r.queryParameter("maxResults").firstValue())
                .containsExactly("0/1", "1/1");
        Project ops = projects.searchProjects(0L, 50, null, null, Set.of("OPS"), null, null, null, null, null, null,
                null, null).getValues().get(0);
        assertThat(ops.getKey()).isEqualTo("OPS");
        assertThat(ops.getSelf()).hasScheme("https");
    }

    private ErrorCollection errors(ApiException e) {
        try {
            return client.getObjectMapper().readValue(e.getResponseBody(), ErrorCollection.class);
        } catch (IOException io) {
            throw new AssertionError("not Jira's ErrorCollection: " + e.getResponseBody(), io);
        }
    }
}
