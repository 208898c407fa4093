package org.itsmhub.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.itsmhub.sandbox.SandboxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox as any Jira client sees it: the calls a client makes besides the connector's own
 * (projects, issue create and comments of the platform API, service desks, request types, requests
 * and their comments of JSM), answered in Jira's shapes, paged over more than one page.
 */
class JiraSandboxApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JiraSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A sandbox seeded with one issue in each of the given projects (key, id, name), in that order. */
    private JiraSandbox start(String[]... projects) {
        sandbox = new JiraSandbox(SandboxOptions.defaults(), Clock.systemUTC());
        sandbox.start();
        int n = 0;
        for (String[] p : projects) {
            ObjectNode issue = JSON.createObjectNode();
            issue.put("id", String.valueOf(30000 + n++)).put("key", p[0] + "-1");
            ObjectNode f = issue.putObject("fields");
            f.put("summary", "Seeded in " + p[0]);
            f.put("created", JiraIssue.JIRA_TIME.format(Instant.now().minusSeconds(3600)));
            f.putObject("project").put("id", p[1]).put("key", p[0]).put("name", p[2]);
            sandbox.addSeed(issue);
        }
        return sandbox;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, JiraSandbox.API_TOKEN);
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : sandbox.baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (JiraSandbox.EMAIL + ":" + token).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body());
    }

    // ------------------------------------------------------------------ platform: list parameters

    @Test
    void aRepeatedFieldsOrExpandParameterCountsEveryValueAsJiraDoes() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        JsonNode issue = json(call("GET", "/rest/api/3/issue/OPS-1?fields=summary&fields=project,created", null));
        JsonNode found = json(call("GET", "/rest/api/3/search/jql?jql=" + java.net.URLEncoder.encode("key = OPS-1",
                StandardCharsets.UTF_8) + "&fields=summary&fields=project", null));
        JsonNode transitions = json(call("GET", "/rest/api/3/issue/OPS-1/transitions?expand=names&expand=transitions.fields",
                null));

        assertThat(issue.path("fields").path("summary").asText()).isEqualTo("Seeded in OPS");
        assertThat(issue.path("fields").path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(issue.path("fields").has("created")).isTrue();
        assertThat(issue.path("fields").has("priority")).as("only the fields asked for").isFalse();
        JsonNode hit = found.path("issues").get(0).path("fields");
        assertThat(hit.path("summary").asText()).isEqualTo("Seeded in OPS");
        assertThat(hit.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(transitions.path("transitions")).anySatisfy(t -> assertThat(t.has("fields")).isTrue());
    }

    // ------------------------------------------------------------------ platform: projects

    @Test
    void projectSearchWalksEveryProjectPageByPageFollowingNextPage() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"}, new String[] {"HR", "10200", "People"},
                new String[] {"ITSD", "10300", "IT Service Desk"});
        List<String> keys = new ArrayList<>();
        List<JsonNode> pages = new ArrayList<>();

        String next = "/rest/api/3/project/search?maxResults=1";
        while (next != null) {
            assertThat(pages).as("paging ends").hasSizeLessThan(10);
            HttpResponse<String> answer = call("GET", next, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            JiraPlatformSpec.assertConforms("GET", "/rest/api/3/project/search", answer);
            JsonNode page = json(answer);
            pages.add(page);
            page.path("values").forEach(p -> keys.add(p.path("key").asText()));
            next = page.path("nextPage").isTextual() ? page.path("nextPage").asText() : null;
        }

        assertThat(keys).containsExactly("HR", "ITSD", "OPS");
        assertThat(pages).extracting(p -> p.path("isLast").asBoolean()).containsExactly(false, false, true);
        assertThat(pages).extracting(p -> p.path("startAt").asInt()).containsExactly(0, 1, 2);
        assertThat(pages).allSatisfy(p -> {
            assertThat(p.path("total").asInt()).isEqualTo(3);
            assertThat(p.path("maxResults").asInt()).isEqualTo(1);
        });
        assertThat(pages.get(2).has("nextPage")).isFalse();
        assertThat(pages.get(0).path("self").asText()).isEqualTo(sandbox.baseUrl()
                + "/rest/api/3/project/search?startAt=0&maxResults=1");
        JsonNode ops = pages.get(2).path("values").get(0);
        assertThat(ops.path("id").asText()).isEqualTo("10100");
        assertThat(ops.path("name").asText()).isEqualTo("Operations");
        assertThat(ops.path("projectTypeKey").asText()).isEqualTo("service_desk");
        assertThat(ops.path("self").asText()).isEqualTo(sandbox.baseUrl() + "/rest/api/3/project/10100");
        assertThat(ops.path("simplified").isBoolean()).isTrue();
        assertThat(ops.path("style").asText()).isEqualTo("classic");
        assertThat(ops.path("avatarUrls").has("48x48")).isTrue();
    }

    @Test
    void projectSearchFiltersByKeysAndByQueryAndStartsAtFiftyByDefault() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"}, new String[] {"HR", "10200", "People"});

        JsonNode byKeys = json(call("GET", "/rest/api/3/project/search?keys=OPS&keys=NOPE", null));
        JsonNode byQuery = json(call("GET", "/rest/api/3/project/search?query=peop", null));
        JsonNode all = json(call("GET", "/rest/api/3/project/search", null));

        assertThat(byKeys.path("values").findValuesAsText("key")).containsExactly("OPS");
        assertThat(byQuery.path("values").findValuesAsText("key")).containsExactly("HR");
        assertThat(all.path("maxResults").asInt()).isEqualTo(50);
        assertThat(all.path("isLast").asBoolean()).isTrue();
        assertThat(all.path("values")).hasSize(2);
    }

    @Test
    void aProjectIsReadByKeyOrIdAndAnUnknownOneIsJiras404() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        HttpResponse<String> byKey = call("GET", "/rest/api/3/project/OPS", null);
        HttpResponse<String> byId = call("GET", "/rest/api/3/project/10100", null);
        HttpResponse<String> unknown = call("GET", "/rest/api/3/project/NOPE", null);

        assertThat(byKey.statusCode()).isEqualTo(200);
        JiraPlatformSpec.assertConforms("GET", "/rest/api/3/project/OPS", byKey);
        assertThat(json(byKey).path("key").asText()).isEqualTo("OPS");
        assertThat(json(byKey).path("issueTypes").findValuesAsText("name")).contains("[System] Service request");
        assertThat(json(byId).path("key").asText()).isEqualTo("OPS");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("errorMessages").get(0).asText()).isEqualTo("No project could be found with key 'NOPE'.");
        assertThat(json(unknown).path("errors").isObject()).isTrue();
    }

    @Test
    void aSeedFileWithoutProjectFieldsMakesProjectsOfTheKeyPrefixes(@TempDir Path tmp) throws Exception {
        Path seed = tmp.resolve("issues.json");
        Files.writeString(seed, "{\"issues\":[{\"id\":\"41\",\"key\":\"NET-4\",\"fields\":{\"summary\":\"Switch\"}},"
                + "{\"id\":\"42\",\"key\":\"FAC-1\",\"fields\":{\"summary\":\"Door\"}}]}");
        sandbox = new JiraSandbox(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, seed))),
                Clock.systemUTC());
        sandbox.start();

        JsonNode desks = json(call("GET", "/rest/servicedeskapi/servicedesk", null));
        HttpResponse<String> created = call("POST", "/rest/api/3/issue",
                "{\"fields\":{\"project\":{\"key\":\"NET\"},\"issuetype\":{\"id\":\"10005\"},\"summary\":\"Router\"}}");

        assertThat(desks.path("values")).extracting(d -> d.path("id").asText() + " " + d.path("projectKey").asText())
                .containsExactly("1 NET", "2 FAC");
        assertThat(json(created).path("key").asText()).isEqualTo("NET-5");
        assertThat(sandbox.issue("NET-5").orElseThrow().path("fields").path("project").path("self").asText())
                .isEqualTo(sandbox.baseUrl() + "/rest/api/3/project/" + desks.path("values").get(0).path("projectId").asText());
    }

    // ------------------------------------------------------------------ platform: issue create and comments

    @Test
    void anIssueCreatedThroughThePlatformApiReadsBackWithItsAdfDescriptionLabelsAndPriority() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});
        String body = "{\"fields\":{\"project\":{\"key\":\"OPS\"},\"issuetype\":{\"name\":\"[System] Incident\"},"
                + "\"summary\":\"Mail is down\",\"description\":" + Adf.of("Since 9:00\nfor everyone") + ","
                + "\"labels\":[\"mail\"],\"priority\":{\"name\":\"High\"},\"customfield_10050\":\"ext-7\"}}";

        HttpResponse<String> created = call("POST", "/rest/api/3/issue", body);

        assertThat(created.statusCode()).isEqualTo(201);
        JiraPlatformSpec.assertConforms("POST", "/rest/api/3/issue", created);
        JsonNode ref = json(created);
        assertThat(ref.path("key").asText()).isEqualTo("OPS-2");
        assertThat(ref.path("self").asText()).isEqualTo(sandbox.baseUrl() + "/rest/api/3/issue/" + ref.path("id").asText());
        JsonNode fields = json(call("GET", "/rest/api/3/issue/OPS-2", null)).path("fields");
        assertThat(fields.path("summary").asText()).isEqualTo("Mail is down");
        assertThat(fields.path("description")).isEqualTo(Adf.of("Since 9:00\nfor everyone"));
        assertThat(fields.path("issuetype").path("id").asText()).isEqualTo("10002");
        assertThat(fields.path("priority").path("name").asText()).isEqualTo("High");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(fields.path("status").path("name").asText()).isEqualTo("Waiting for support");
        assertThat(fields.path("customfield_10050").asText()).isEqualTo("ext-7");
        JsonNode found = json(call("POST", "/rest/api/3/search/jql",
                "{\"jql\":\"project = OPS AND labels = mail\",\"fields\":[\"summary\"]}"));
        assertThat(found.path("issues").findValuesAsText("key")).containsExactly("OPS-2");
    }

    @Test
    void aPlatformCreateWithoutSummaryOrWithAPlainStringDescriptionIsJiras400() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        HttpResponse<String> noSummary = call("POST", "/rest/api/3/issue",
                "{\"fields\":{\"project\":{\"key\":\"OPS\"},\"issuetype\":{\"id\":\"10001\"}}}");
        HttpResponse<String> plainDescription = call("POST", "/rest/api/3/issue",
                "{\"fields\":{\"project\":{\"id\":\"10100\"},\"issuetype\":{\"id\":\"10001\"},\"summary\":\"x\","
                        + "\"description\":\"plain text\"}}");
        HttpResponse<String> unknownProjectAndType = call("POST", "/rest/api/3/issue",
                "{\"fields\":{\"project\":{\"key\":\"NOPE\"},\"issuetype\":{\"name\":\"Epic\"},\"summary\":\"x\"}}");

        assertThat(noSummary.statusCode()).isEqualTo(400);
        assertThat(json(noSummary)).isEqualTo(JSON.readTree(
                "{\"errorMessages\":[],\"errors\":{\"summary\":\"You must specify a summary of the issue.\"}}"));
        assertThat(plainDescription.statusCode()).isEqualTo(400);
        assertThat(json(plainDescription).path("errors").path("description").asText())
                .startsWith("Operation value must be an Atlassian Document");
        assertThat(json(unknownProjectAndType).path("errors").fieldNames()).toIterable()
                .containsExactly("project", "issuetype");
        assertThat(sandbox.issue("OPS-2")).isEmpty();
    }

    @Test
    void aPlatformCommentWithTheSdPublicCommentPropertyIsInternalAndAnswersAsAJiraComment() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        HttpResponse<String> internal = call("POST", "/rest/api/3/issue/OPS-1/comment", "{\"body\":" + Adf.of("VIP")
                + ",\"properties\":[{\"key\":\"sd.public.comment\",\"value\":{\"internal\":true}}]}");
        HttpResponse<String> reply = call("POST", "/rest/api/3/issue/OPS-1/comment", "{\"body\":" + Adf.of("On it") + "}");

        assertThat(internal.statusCode()).isEqualTo(201);
        JiraPlatformSpec.assertConforms("POST", "/rest/api/3/issue/OPS-1/comment", internal);
        JiraPlatformSpec.assertConforms("POST", "/rest/api/3/issue/OPS-1/comment", reply);
        JsonNode c = json(internal);
        assertThat(c.path("jsdPublic").asBoolean()).isFalse();
        assertThat(c.path("body")).isEqualTo(Adf.of("VIP"));
        assertThat(c.path("author").path("accountId").asText()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(c.path("self").asText()).isEqualTo(sandbox.baseUrl() + "/rest/api/3/issue/30000/comment/" + c.path("id").asText());
        assertThat(c.path("created").asText()).isNotEmpty();
        assertThat(c.path("updated").asText()).isNotEmpty();
        assertThat(json(reply).path("jsdPublic").asBoolean()).isTrue();
        JsonNode listed = json(call("GET", "/rest/api/3/issue/OPS-1/comment?expand=properties", null));
        assertThat(listed.path("comments").get(0).path("properties").get(0).path("value").path("internal").asBoolean()).isTrue();
    }

    @Test
    void aPlatformCommentBodyMustBeANonEmptyAtlassianDocument() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        HttpResponse<String> plain = call("POST", "/rest/api/3/issue/OPS-1/comment", "{\"body\":\"plain\"}");
        HttpResponse<String> empty = call("POST", "/rest/api/3/issue/OPS-1/comment", "{}");
        HttpResponse<String> noIssue = call("POST", "/rest/api/3/issue/OPS-9/comment", "{\"body\":" + Adf.of("x") + "}");

        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).path("errors").path("comment").asText()).startsWith("Operation value must be an Atlassian Document");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).path("errors").path("comment").asText()).isEqualTo("Comment body can not be empty!");
        assertThat(noIssue.statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/rest/api/3/issue/OPS-1/comment", null)).path("total").asInt()).isZero();
    }

    // ------------------------------------------------------------------ JSM: service desks and request types

    @Test
    void serviceDesksArePagedWithStartLimitAndLinksOneDeskPerProject() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"}, new String[] {"HR", "10200", "People"});

        JsonNode first = json(call("GET", "/rest/servicedeskapi/servicedesk?limit=1", null));
        HttpResponse<String> secondAnswer = call("GET", first.path("_links").path("next").asText(), null);
        JsonNode second = json(secondAnswer);

        assertThat(secondAnswer.statusCode()).isEqualTo(200);
        assertThat(first.path("size").asInt()).isEqualTo(1);
        assertThat(first.path("start").asInt()).isZero();
        assertThat(first.path("limit").asInt()).isEqualTo(1);
        assertThat(first.path("isLastPage").asBoolean()).isFalse();
        assertThat(first.path("_links").path("base").asText()).isEqualTo(sandbox.baseUrl() + "/rest/servicedeskapi");
        assertThat(first.path("_links").has("context")).isTrue();
        assertThat(first.path("_links").has("prev")).isFalse();
        JsonNode desk = first.path("values").get(0);
        assertThat(desk.path("id").asText()).isEqualTo(JiraSandbox.SERVICE_DESK_ID);
        assertThat(desk.path("projectId").asText()).isEqualTo("10100");
        assertThat(desk.path("projectKey").asText()).isEqualTo("OPS");
        assertThat(desk.path("projectName").asText()).isEqualTo("Operations");
        assertThat(desk.path("_links").path("self").asText()).isEqualTo(sandbox.baseUrl() + "/rest/servicedeskapi/servicedesk/1");
        assertThat(second.path("start").asInt()).isEqualTo(1);
        assertThat(second.path("isLastPage").asBoolean()).isTrue();
        assertThat(second.path("_links").has("next")).isFalse();
        assertThat(second.path("_links").path("prev").asText()).endsWith("/rest/servicedeskapi/servicedesk?start=0&limit=1");
        assertThat(second.path("values").findValuesAsText("projectKey")).containsExactly("HR");
        assertThat(json(call("GET", "/rest/servicedeskapi/servicedesk/2", null)).path("projectKey").asText()).isEqualTo("HR");
        HttpResponse<String> unknown = call("GET", "/rest/servicedeskapi/servicedesk/9", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("i18nErrorMessage").path("i18nKey").asText()).isNotBlank();
    }

    @Test
    void requestTypesArePagedAndEveryListedIdRaisesARequestWhileAnUnlistedOneIsRefused() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});
        List<JsonNode> types = new ArrayList<>();
        List<Boolean> lastPages = new ArrayList<>();

        for (int start = 0;; start += 2) {
            assertThat(lastPages).as("paging ends").hasSizeLessThan(10);
            JsonNode page = json(call("GET", "/rest/servicedeskapi/servicedesk/1/requesttype?start=" + start + "&limit=2", null));
            page.path("values").forEach(types::add);
            lastPages.add(page.path("isLastPage").asBoolean());
            if (page.path("isLastPage").asBoolean()) {
                break;
            }
        }

        assertThat(lastPages).containsExactly(false, true);
        assertThat(types).extracting(t -> t.path("id").asText()).containsExactly("25", "26", "27", "28");
        assertThat(types).allSatisfy(t -> {
            assertThat(t.path("serviceDeskId").asText()).isEqualTo("1");
            assertThat(t.path("issueTypeId").asText()).isNotBlank();
            assertThat(t.path("name").asText()).isNotBlank();
            assertThat(t.has("description")).isTrue();
            assertThat(t.has("helpText")).isTrue();
            assertThat(t.path("groupIds").isArray()).isTrue();
            assertThat(t.path("_links").path("self").asText()).endsWith("/servicedesk/1/requesttype/" + t.path("id").asText());
        });
        for (JsonNode t : types) {
            HttpResponse<String> raised = call("POST", "/rest/servicedeskapi/request", "{\"serviceDeskId\":\"1\",\"requestTypeId\":\""
                    + t.path("id").asText() + "\",\"requestFieldValues\":{\"summary\":\"via " + t.path("name").asText() + "\"}}");
            assertThat(raised.statusCode()).as(raised.body()).isEqualTo(201);
            assertThat(json(raised).path("requestTypeId").asText()).isEqualTo(t.path("id").asText());
        }
        HttpResponse<String> unlisted = call("POST", "/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"99\",\"requestFieldValues\":{\"summary\":\"x\"}}");
        assertThat(unlisted.statusCode()).isEqualTo(400);
        assertThat(json(unlisted).path("errorMessage").asText()).contains("'99'");
        assertThat(json(call("GET", "/rest/servicedeskapi/servicedesk/1/requesttype?searchQuery=hardware", null))
                .path("values")).extracting(t -> t.path("id").asText()).containsExactly("27");
    }

    // ------------------------------------------------------------------ JSM: requests and their comments

    @Test
    void aRequestReadsBackAsACustomerRequestWhoseCurrentStatusFollowsItsTransitions() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});
        JsonNode created = json(call("POST", "/rest/servicedeskapi/request", "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"25\","
                + "\"requestFieldValues\":{\"summary\":\"VPN\",\"description\":\"No tunnel\\nsince 8\"}}"));
        String key = created.path("issueKey").asText();

        call("POST", "/rest/api/3/issue/" + key + "/transitions", "{\"transition\":{\"id\":\"21\"}}");
        HttpResponse<String> answer = call("GET", "/rest/servicedeskapi/request/" + key, null);
        HttpResponse<String> byId = call("GET", "/rest/servicedeskapi/request/" + created.path("issueId").asText(), null);
        HttpResponse<String> unknown = call("GET", "/rest/servicedeskapi/request/OPS-99", null);

        assertThat(key).isEqualTo("OPS-2");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode request = json(answer);
        assertThat(request.path("issueId").asText()).isEqualTo(created.path("issueId").asText());
        assertThat(request.path("issueKey").asText()).isEqualTo(key);
        assertThat(request.path("requestTypeId").asText()).isEqualTo("25");
        assertThat(request.path("serviceDeskId").asText()).isEqualTo("1");
        assertThat(request.path("createdDate").path("epochMillis").asLong()).isPositive();
        assertThat(request.path("createdDate").path("iso8601").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000");
        assertThat(request.path("reporter").path("accountId").asText()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(request.path("requestFieldValues").findValuesAsText("fieldId")).containsExactly("summary", "description");
        assertThat(request.path("requestFieldValues").get(1).path("value").asText()).isEqualTo("No tunnel\nsince 8");
        assertThat(request.path("currentStatus").path("status").asText()).isEqualTo("In Progress");
        assertThat(request.path("currentStatus").path("statusCategory").asText()).isEqualTo("INDETERMINATE");
        assertThat(request.path("currentStatus").path("statusDate").path("jira").asText()).isNotBlank();
        assertThat(request.path("_links").path("self").asText()).endsWith("/rest/servicedeskapi/request/" + request.path("issueId").asText());
        assertThat(json(byId).path("issueKey").asText()).isEqualTo(key);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("errorMessage").asText()).contains("OPS-99");
        HttpResponse<String> noResolution = call("POST", "/rest/api/3/issue/" + key + "/transitions", "{\"transition\":{\"id\":\"51\"}}");
        assertThat(noResolution.statusCode()).isEqualTo(400);
        assertThat(json(noResolution).path("errors").path("resolution").asText()).isEqualTo("Resolution is required.");
    }

    @Test
    void requestCommentsFilterPublicAndInternalOnesWhateverApiWroteThem() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});
        call("POST", "/rest/servicedeskapi/request/OPS-1/comment", "{\"body\":\"Reply\",\"public\":true}");
        call("POST", "/rest/servicedeskapi/request/OPS-1/comment", "{\"body\":\"Note\",\"public\":false}");
        call("POST", "/rest/api/3/issue/OPS-1/comment", "{\"body\":" + Adf.of("Platform note\nline 2")
                + ",\"properties\":[{\"key\":\"sd.public.comment\",\"value\":{\"internal\":true}}]}");

        JsonNode all = json(call("GET", "/rest/servicedeskapi/request/OPS-1/comment", null));
        JsonNode internalOnly = json(call("GET", "/rest/servicedeskapi/request/OPS-1/comment?public=false", null));
        JsonNode publicOnly = json(call("GET", "/rest/servicedeskapi/request/OPS-1/comment?internal=false", null));
        JsonNode none = json(call("GET", "/rest/servicedeskapi/request/OPS-1/comment?public=false&internal=false", null));

        assertThat(all.path("values").findValuesAsText("body")).containsExactly("Reply", "Note", "Platform note\nline 2");
        assertThat(all.path("values")).extracting(v -> v.path("public").asBoolean()).containsExactly(true, false, false);
        assertThat(internalOnly.path("values").findValuesAsText("body")).containsExactly("Note", "Platform note\nline 2");
        assertThat(publicOnly.path("values").findValuesAsText("body")).containsExactly("Reply");
        assertThat(none.path("values")).isEmpty();
        assertThat(none.path("size").asInt()).isZero();
        JsonNode c = all.path("values").get(0);
        assertThat(c.path("author").path("accountId").asText()).isEqualTo(JiraSandbox.ACCOUNT_ID);
        assertThat(c.path("author").path("displayName").asText()).isNotBlank();
        assertThat(c.path("created").path("epochMillis").asLong()).isPositive();
        assertThat(c.path("created").path("friendly").asText()).startsWith("Today ");
        assertThat(c.path("_links").path("self").asText()).endsWith("/rest/servicedeskapi/request/30000/comment/" + c.path("id").asText());
    }

    @Test
    void requestCommentsArePagedWithStartAndLimitUntilIsLastPage() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});
        for (int n = 1; n <= 5; n++) {
            call("POST", "/rest/servicedeskapi/request/OPS-1/comment", "{\"body\":\"c" + n + "\",\"public\":" + (n % 2 == 0) + "}");
        }
        List<String> bodies = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();

        String next = "/rest/servicedeskapi/request/OPS-1/comment?limit=2";
        while (next != null) {
            assertThat(sizes).as("paging ends").hasSizeLessThan(10);
            JsonNode page = json(call("GET", next, null));
            page.path("values").forEach(v -> bodies.add(v.path("body").asText()));
            sizes.add(page.path("size").asInt());
            next = page.path("isLastPage").asBoolean() ? null : page.path("_links").path("next").asText();
        }
        JsonNode internalPage2 = json(call("GET", "/rest/servicedeskapi/request/OPS-1/comment?public=false&start=2&limit=2", null));

        assertThat(bodies).containsExactly("c1", "c2", "c3", "c4", "c5");
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(internalPage2.path("values").findValuesAsText("body")).containsExactly("c5");
        assertThat(internalPage2.path("isLastPage").asBoolean()).isTrue();
        assertThat(internalPage2.path("_links").path("prev").asText()).contains("start=0", "limit=2", "public=false");
    }

    // ------------------------------------------------------------------ auth and unknown paths

    @Test
    void theNewCallsRefuseAWrongCredentialWith401AndUnknownPathsStayJiras404() throws Exception {
        start(new String[] {"OPS", "10100", "Operations"});

        for (String path : List.of("/rest/api/3/project/search", "/rest/servicedeskapi/servicedesk",
                "/rest/servicedeskapi/servicedesk/1/requesttype", "/rest/servicedeskapi/request/OPS-1/comment")) {
            assertThat(call("GET", path, null, "wrong-token").statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> unknown = call("GET", "/rest/api/3/nosuchthing", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("errorMessages").get(0).asText()).startsWith("null for uri: ");
    }
}
