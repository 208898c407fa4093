package org.itsmhub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

/**
 * One ticket system as a person uses it, on its sandbox: raise a ticket, edit it, resolve and reopen
 * it, comment publicly or internally, and look at what is there. The end-to-end ticket-sync tests
 * are written once against this and run for every pair of ticket systems.
 */
abstract class TicketDesk implements AutoCloseable {

    /** A comment as the desk shows it. */
    record SeenComment(String text, boolean internal) {
    }

    /** A webhook call as the vendor would send it. */
    record WebhookCall(String body, Map<String, String> headers) {
    }

    static final String WEBHOOK_SECRET = "wh-e2e-4417";

    protected final VendorSandbox sandbox;
    protected final VendorApi api;

    protected TicketDesk(String vendor, String user, String password) {
        this.sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults());
        this.sandbox.start();
        this.api = new VendorApi(sandbox.baseUrl(), user, password);
    }

    static TicketDesk freshdesk() {
        return new Freshdesk();
    }

    static TicketDesk servicenow() {
        return new ServiceNow();
    }

    static TicketDesk jira() {
        return new Jira();
    }

    VendorSandbox sandbox() {
        return sandbox;
    }

    /** The connection block for this desk, with webhooks accepted under {@link #WEBHOOK_SECRET}. */
    abstract String connection(String id, String... extra);

    /** Raises a ticket; returns the id the hub uses for it (Freshdesk id, sys_id, issue key). */
    abstract String raise(String title, String description);

    abstract String title(String id);

    abstract String description(String id);

    abstract void retitle(String id, String title);

    abstract void redescribe(String id, String description);

    abstract void resolve(String id);

    abstract void reopen(String id);

    abstract boolean isResolved(String id);

    abstract void comment(String id, String text, boolean internal);

    /** Raises the ticket to the vendor's top priority (canonical P1). */
    abstract void makeUrgent(String id);

    abstract boolean isUrgent(String id);

    /** What {@link #resolve} writes for the customer as the resolution note, or null where the desk has none. */
    String resolutionNote() {
        return null;
    }

    abstract List<SeenComment> comments(String id);

    /** Ids of every ticket with this title (a duplicate twin shows up as a second id). */
    abstract List<String> idsWithTitle(String title);

    /** Makes the desk refuse new tickets the way the vendor refuses an invalid one, until removed. */
    abstract StubMapping refuseCreates();

    /** Part of the vendor's message in {@link #refuseCreates()}'s answer, as the hub should report it. */
    abstract String refusalMessage();

    /** The vendor's webhook for a change of ticket {@code id}, signed or with the secret header. */
    abstract WebhookCall webhook(String id);

    /** Makes ticket {@code id} answer reads the way the vendor answers for a deleted record, until removed. */
    abstract StubMapping hide(String id);

    void allowCreates(StubMapping refusal) {
        sandbox.wiremock().removeStub(refusal);
    }

    /** The id of the one ticket with this title; fails when there is none or more than one. */
    String only(String title) {
        List<String> ids = idsWithTitle(title);
        if (ids.size() != 1) {
            throw new AssertionError("expected one ticket titled '" + title + "' in " + sandbox.vendor() + ", found "
                    + ids);
        }
        return ids.get(0);
    }

    /** Writes the hub sent since the journal was last reset (reads, including searches by POST, left out). */
    List<String> writes() {
        return sandbox.wiremock().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .filter(r -> !r.getUrl().startsWith("/rest/api/3/search/jql")) // Jira searches by POST
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).toList();
    }

    void resetJournal() {
        sandbox.wiremock().resetRequests();
    }

    @Override
    public void close() {
        sandbox.close();
    }

    protected StubMapping notFound(String path, String body) {
        return sandbox.wiremock().stubFor(get(urlPathEqualTo(path)).atPriority(1).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json").withBody(body)));
    }

    protected StubMapping refuse(String path, String body) {
        return sandbox.wiremock().stubFor(post(urlPathEqualTo(path)).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** {@code text} as a JSON string literal. */
    protected static String json(String text) {
        return new TextNode(text).toString();
    }

    // ------------------------------------------------------------------ Freshdesk

    private static final class Freshdesk extends TicketDesk {
        Freshdesk() {
            super("freshdesk", "sandbox-api-key", "X");
        }

        @Override
        String connection(String id, String... extra) {
            List<String> keys = new ArrayList<>(List.of("default.requester.email: servicedesk@msp.example",
                    "webhook.secret: " + WEBHOOK_SECRET));
            keys.addAll(List.of(extra));
            return SandboxConfig.freshdesk(id, sandbox, keys.toArray(String[]::new));
        }

        @Override
        String raise(String title, String description) {
            return api.post("/api/v2/tickets", "{\"subject\":" + json(title) + ",\"description\":" + json(description)
                    + ",\"email\":\"anna@customer.example\",\"priority\":2,\"status\":2}").get("id").asText();
        }

        @Override
        String title(String id) {
            return ticket(id).get("subject").asText();
        }

        @Override
        String description(String id) {
            JsonNode t = ticket(id);
            return t.path("description_text").asText(t.path("description").asText());
        }

        @Override
        void retitle(String id, String title) {
            api.put("/api/v2/tickets/" + id, "{\"subject\":" + json(title) + "}");
        }

        @Override
        void redescribe(String id, String description) {
            api.put("/api/v2/tickets/" + id, "{\"description\":" + json(description) + "}");
        }

        @Override
        void resolve(String id) {
            api.put("/api/v2/tickets/" + id, "{\"status\":4}");
        }

        @Override
        void reopen(String id) {
            api.put("/api/v2/tickets/" + id, "{\"status\":2}");
        }

        @Override
        boolean isResolved(String id) {
            int status = ticket(id).get("status").asInt();
            return status == 4 || status == 5;
        }

        @Override
        void comment(String id, String text, boolean internal) {
            if (internal) {
                api.post("/api/v2/tickets/" + id + "/notes", "{\"body\":" + json(text) + ",\"private\":true}");
            } else {
                api.post("/api/v2/tickets/" + id + "/reply", "{\"body\":" + json(text) + "}");
            }
        }

        @Override
        void makeUrgent(String id) {
            api.put("/api/v2/tickets/" + id, "{\"priority\":4}");
        }

        @Override
        boolean isUrgent(String id) {
            return ticket(id).get("priority").asInt() == 4;
        }

        @Override
        List<SeenComment> comments(String id) {
            List<SeenComment> seen = new ArrayList<>();
            for (JsonNode c : api.get("/api/v2/tickets/" + id + "/conversations")) {
                seen.add(new SeenComment(c.path("body_text").asText(c.path("body").asText()),
                        c.path("private").asBoolean()));
            }
            return seen;
        }

        @Override
        List<String> idsWithTitle(String title) {
            List<String> ids = new ArrayList<>();
            for (JsonNode t : api.get("/api/v2/tickets?updated_since=2000-01-01T00:00:00Z&per_page=100")) {
                if (title.equals(t.get("subject").asText())) {
                    ids.add(t.get("id").asText());
                }
            }
            return ids;
        }

        @Override
        StubMapping refuseCreates() {
            return refuse("/api/v2/tickets", """
                    {"description":"Validation failed","errors":[{"field":"requester_id",
                     "message":"There is no contact matching the given requester_id","code":"invalid_value"}]}""");
        }

        @Override
        String refusalMessage() {
            return "Validation failed: requester_id";
        }

        @Override
        StubMapping hide(String id) {
            return notFound("/api/v2/tickets/" + id, "");
        }

        @Override
        WebhookCall webhook(String id) {
            return new WebhookCall("{\"ticket_id\": " + id + ", \"event\": \"ticket_updated\"}",
                    Map.of("X-ITSMHub-Webhook-Secret", WEBHOOK_SECRET));
        }

        private JsonNode ticket(String id) {
            return api.get("/api/v2/tickets/" + id);
        }
    }

    // ------------------------------------------------------------------ ServiceNow

    private static final class ServiceNow extends TicketDesk {
        ServiceNow() {
            super("servicenow", "admin", "sandbox-password");
        }

        @Override
        String connection(String id, String... extra) {
            List<String> keys = new ArrayList<>(List.of("webhook.secret: " + WEBHOOK_SECRET));
            keys.addAll(List.of(extra));
            return SandboxConfig.servicenow(id, sandbox, keys.toArray(String[]::new));
        }

        @Override
        String raise(String title, String description) {
            return api.post("/api/now/table/incident", "{\"short_description\":" + json(title) + ",\"description\":"
                    + json(description) + ",\"impact\":\"2\",\"urgency\":\"2\"}").get("result").get("sys_id").asText();
        }

        @Override
        String title(String id) {
            return incident(id).get("short_description").asText();
        }

        @Override
        String description(String id) {
            return incident(id).get("description").asText();
        }

        @Override
        void retitle(String id, String title) {
            api.patch("/api/now/table/incident/" + id, "{\"short_description\":" + json(title) + "}");
        }

        @Override
        void redescribe(String id, String description) {
            api.patch("/api/now/table/incident/" + id, "{\"description\":" + json(description) + "}");
        }

        @Override
        void resolve(String id) {
            api.patch("/api/now/table/incident/" + id, """
                    {"state":"6","close_code":"Solved (Permanently)","close_notes":"Fixed by the desk"}""");
        }

        @Override
        void reopen(String id) {
            api.patch("/api/now/table/incident/" + id, "{\"state\":\"2\"}");
        }

        @Override
        boolean isResolved(String id) {
            String state = incident(id).get("state").asText();
            return state.equals("6") || state.equals("7");
        }

        @Override
        void comment(String id, String text, boolean internal) {
            api.patch("/api/now/table/incident/" + id, "{\"" + (internal ? "work_notes" : "comments") + "\":"
                    + json(text) + "}");
        }

        @Override
        void makeUrgent(String id) {
            api.patch("/api/now/table/incident/" + id, "{\"impact\":\"1\",\"urgency\":\"1\"}");
        }

        @Override
        boolean isUrgent(String id) {
            return incident(id).get("priority").asText().equals("1");
        }

        @Override
        String resolutionNote() {
            return "Fixed by the desk";
        }

        @Override
        List<SeenComment> comments(String id) {
            List<SeenComment> seen = new ArrayList<>();
            for (JsonNode e : api.get("/api/now/table/sys_journal_field?sysparm_query=element_id%3D" + id)
                    .get("result")) {
                seen.add(new SeenComment(e.get("value").asText(), e.get("element").asText().equals("work_notes")));
            }
            return seen;
        }

        @Override
        List<String> idsWithTitle(String title) {
            List<String> ids = new ArrayList<>();
            for (JsonNode i : api.get("/api/now/table/incident?sysparm_limit=1000").get("result")) {
                if (title.equals(i.get("short_description").asText())) {
                    ids.add(i.get("sys_id").asText());
                }
            }
            return ids;
        }

        @Override
        StubMapping refuseCreates() {
            return refuse("/api/now/table/incident", """
                    {"error":{"message":"Operation Failed","detail":"Data Policy Exception: Caller is mandatory"},
                     "status":"failure"}""");
        }

        @Override
        String refusalMessage() {
            return "Caller is mandatory";
        }

        @Override
        StubMapping hide(String id) {
            return notFound("/api/now/table/incident/" + id, """
                    {"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record \
                    retrieval"},"status":"failure"}""");
        }

        @Override
        WebhookCall webhook(String id) {
            return new WebhookCall("{\"sys_id\":\"" + id + "\",\"table\":\"incident\",\"operation\":\"update\"}",
                    Map.of("X-ITSM-Hub-Secret", WEBHOOK_SECRET));
        }

        private JsonNode incident(String id) {
            return api.get("/api/now/table/incident/" + id).get("result");
        }
    }

    // ------------------------------------------------------------------ Jira Service Management

    private static final class Jira extends TicketDesk {
        Jira() {
            super("jira", "hub@sandbox.example", "sandbox-api-token");
        }

        @Override
        String connection(String id, String... extra) {
            List<String> keys = new ArrayList<>(List.of("project: SD", "service.desk.id: \"1\"",
                    "request.type.id: \"25\"", "correlation.mode: label", "webhook.secret: " + WEBHOOK_SECRET));
            keys.addAll(List.of(extra));
            return SandboxConfig.jira(id, sandbox, keys.toArray(String[]::new));
        }

        @Override
        String raise(String title, String description) {
            return api.post("/rest/servicedeskapi/request", "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"25\","
                    + "\"requestFieldValues\":{\"summary\":" + json(title) + ",\"description\":" + json(description)
                    + "}}").get("issueKey").asText();
        }

        @Override
        String title(String id) {
            return issue(id).get("fields").get("summary").asText();
        }

        @Override
        String description(String id) {
            JsonNode d = issue(id).get("fields").path("description");
            return d.isTextual() ? d.asText() : String.join("\n", d.findValuesAsText("text"));
        }

        @Override
        void retitle(String id, String title) {
            api.put("/rest/api/3/issue/" + id, "{\"fields\":{\"summary\":" + json(title) + "}}");
        }

        @Override
        void redescribe(String id, String description) {
            api.put("/rest/api/3/issue/" + id, "{\"fields\":{\"description\":{\"type\":\"doc\",\"version\":1,"
                    + "\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":"
                    + json(description) + "}]}]}}}");
        }

        @Override
        void resolve(String id) {
            api.post("/rest/api/3/issue/" + id + "/transitions",
                    "{\"transition\":{\"id\":\"51\"},\"fields\":{\"resolution\":{\"name\":\"Done\"}}}");
        }

        @Override
        void reopen(String id) {
            api.post("/rest/api/3/issue/" + id + "/transitions", "{\"transition\":{\"id\":\"21\"}}");
        }

        @Override
        boolean isResolved(String id) {
            return issue(id).get("fields").get("status").get("statusCategory").get("key").asText().equals("done");
        }

        @Override
        void comment(String id, String text, boolean internal) {
            api.post("/rest/servicedeskapi/request/" + id + "/comment", "{\"body\":" + json(text) + ",\"public\":"
                    + !internal + "}");
        }

        @Override
        void makeUrgent(String id) {
            api.put("/rest/api/3/issue/" + id, "{\"fields\":{\"priority\":{\"name\":\"Highest\"}}}");
        }

        @Override
        boolean isUrgent(String id) {
            return issue(id).get("fields").path("priority").path("name").asText().equals("Highest");
        }

        @Override
        List<SeenComment> comments(String id) {
            List<SeenComment> seen = new ArrayList<>();
            for (JsonNode c : api.get("/rest/api/3/issue/" + id + "/comment?expand=properties").get("comments")) {
                boolean internal = false;
                for (JsonNode p : c.path("properties")) {
                    if (p.path("key").asText().equals("sd.public.comment")) {
                        internal = p.path("value").path("internal").asBoolean();
                    }
                }
                JsonNode body = c.get("body");
                seen.add(new SeenComment(body.isTextual() ? body.asText() : String.join("\n",
                        body.findValuesAsText("text")), internal));
            }
            return seen;
        }

        @Override
        List<String> idsWithTitle(String title) {
            List<String> ids = new ArrayList<>();
            JsonNode search = api.post("/rest/api/3/search/jql",
                    "{\"jql\":\"project = SD ORDER BY key ASC\",\"fields\":[\"summary\"],\"maxResults\":100}");
            for (JsonNode i : search.get("issues")) {
                if (title.equals(i.get("fields").get("summary").asText())) {
                    ids.add(i.get("key").asText());
                }
            }
            return ids;
        }

        @Override
        StubMapping refuseCreates() {
            return refuse("/rest/servicedeskapi/request", """
                    {"errorMessage":"Your request could not be created. Please check the fields have been correctly \
                    filled in. The request type 25 is not valid for this service desk",
                     "i18nErrorMessage":{"i18nKey":"sd.request.create.error","parameters":[]}}""");
        }

        @Override
        String refusalMessage() {
            return "request type 25 is not valid";
        }

        @Override
        StubMapping hide(String id) {
            return notFound("/rest/api/3/issue/" + id, """
                    {"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}""");
        }

        @Override
        WebhookCall webhook(String id) {
            String body = "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_updated\","
                    + "\"issue\":{\"key\":\"" + id + "\"}}";
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
                return new WebhookCall(body, Map.of("X-Hub-Signature", "sha256=" + signature));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private JsonNode issue(String id) {
            return api.get("/rest/api/3/issue/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
    }
}
