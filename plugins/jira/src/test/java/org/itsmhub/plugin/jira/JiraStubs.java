package org.itsmhub.plugin.jira;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.plugin.support.json.JsonCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jira payloads in the vendor's format for stubs, and the config the tests use. */
final class JiraStubs {

    static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.ofHours(1));

    private JiraStubs() {
    }

    static Map<String, Object> config(String baseUrl, String secret) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("base.url", baseUrl);
        raw.put("auth.email", "hub@acme.example");
        raw.put("auth.api.token", secret);
        raw.put("project", "ITSD");
        raw.put("service.desk.id", "4");
        raw.put("request.type.id", "25");
        raw.put("correlation.field", "customfield_10050");
        raw.put("jql.timezone", "Europe/Berlin");
        raw.put("webhook.secret", "whsec-" + secret);
        return raw;
    }

    /** A search/jql issue as Jira Cloud returns it for the fields the connector asks. */
    static ObjectNode issue(String key, String summary, Instant updated, String status, String category) {
        ObjectNode issue = JsonCodec.mapper().createObjectNode();
        issue.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        issue.put("id", String.valueOf(10000 + Math.abs(key.hashCode() % 10000)));
        issue.put("self", "https://acme.atlassian.net/rest/api/3/issue/" + key);
        issue.put("key", key);
        ObjectNode f = issue.putObject("fields");
        f.put("summary", summary);
        f.set("description", AdfText.fromText("Body of " + key));
        ObjectNode st = f.putObject("status");
        st.put("self", "https://acme.atlassian.net/rest/api/3/status/1").put("name", status).put("id", "1");
        st.putObject("statusCategory").put("id", 2).put("key", category).put("name", category);
        f.putObject("priority").put("name", "High").put("id", "2");
        f.putObject("reporter").put("accountId", "557058:cust-1").put("displayName", "Carla Customer")
                .put("emailAddress", "carla@customer.example").put("active", true);
        f.putNull("assignee");
        f.put("created", JIRA_TIME.format(updated.minusSeconds(3600)));
        f.put("updated", JIRA_TIME.format(updated));
        f.putArray("labels");
        f.putObject("project").put("id", "10000").put("key", "ITSD").put("name", "IT Service Desk");
        f.putNull("resolution");
        f.putObject("issuetype").put("id", "10001").put("name", "[System] Service request");
        ObjectNode rt = f.putObject("customfield_10010");
        rt.putObject("requestType").put("id", "25").put("name", "Get IT help");
        f.putNull("customfield_10050");
        return issue;
    }

    static String page(List<? extends JsonNode> issues, String nextPageToken) {
        ObjectNode page = JsonCodec.mapper().createObjectNode();
        ArrayNode arr = page.putArray("issues");
        issues.forEach(arr::add);
        if (nextPageToken != null) {
            page.put("nextPageToken", nextPageToken);
        }
        page.put("isLast", nextPageToken == null);
        return page.toString();
    }

    static List<ObjectNode> issues(int from, int count, Instant firstUpdated) {
        List<ObjectNode> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = from + i;
            list.add(issue("ITSD-" + n, "Ticket " + n, firstUpdated.plusSeconds(60L * n), "Waiting for support", "new"));
        }
        return list;
    }

    static String resource(String name) {
        try (InputStream in = JiraStubs.class.getResourceAsStream("/jira/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource jira/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return JsonCodec.readTree(text, "test JSON");
    }
}
