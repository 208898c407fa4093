package org.itsmhub.plugin.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.jira.dto.CommentPage;
import org.itsmhub.plugin.jira.dto.ErrorCollection;
import org.itsmhub.plugin.jira.dto.Issue;
import org.itsmhub.plugin.jira.dto.NamedRef;
import org.itsmhub.plugin.jira.dto.SearchResponse;
import org.itsmhub.plugin.jira.dto.Status;
import org.itsmhub.plugin.jira.dto.TransitionList;
import org.itsmhub.plugin.jira.dto.User;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

/** Every real Jira sample the plugin reads, decoded with its DTOs and mapped without losing a mapped field. */
class JiraFixturesTest {

    private final JiraTicketMapper mapper = new JiraTicketMapper("acme-jira", Map.of(), Map.of(), Map.of(),
            "customfield_10010", "customfield_10050", key -> "https://your-domain.atlassian.net/browse/" + key);

    private static <T> T read(String file, Class<T> type) {
        return JsonCodec.read(new java.io.ByteArrayInputStream(VendorTestData.read("jira", file)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), type, file);
    }

    @Test
    void theSearchJqlSpecExampleDecodesWithTokenPagingAndMaps() {
        SearchResponse page = read("spec-examples/GET_rest_api_3_search_jql_200_example.json", SearchResponse.class);

        assertThat(page.isLast()).isTrue();
        assertThat(page.nextPageToken()).isNull();
        Ticket t = mapper.toTicket(page.issues().get(0));
        assertThat(t.ref().id()).isEqualTo("ED-1");
        assertThat(t.attributes()).containsEntry("jira.id", "10002").containsEntry("project", "EX");
        assertThat(t.title()).as("no summary in the example: the key stands in").isEqualTo("ED-1");
        assertThat(t.description()).as("a string description in this example").isEqualTo("Main order flow broken");
        assertThat(t.updatedAt()).as("\"updated\": 1 read as epoch millis").isEqualTo(Instant.ofEpochMilli(1));
        assertThat(t.status()).as("no status field: NEW").isEqualTo(TicketStatus.NEW);
    }

    @Test
    void theOldSearchSpecExampleDecodesToo() {
        SearchResponse page = read("spec-examples/GET_rest_api_3_search_200_example.json", SearchResponse.class);

        assertThat(page.issues()).hasSize(1);
        assertThat(mapper.toTicket(page.issues().get(0)).ref().id()).isEqualTo("ED-1");
    }

    @Test
    void theIssueSpecExampleMapsItsAdfDescription() {
        Issue issue = read("spec-examples/GET_rest_api_3_issue_200_example.json", Issue.class);

        Ticket t = mapper.toTicket(issue);
        assertThat(t.ref().id()).isEqualTo("ED-1");
        assertThat(t.ref().url()).isEqualTo("https://your-domain.atlassian.net/browse/ED-1");
        assertThat(t.description()).isEqualTo("Main order flow broken");
        assertThat(t.attributes()).containsEntry("project", "EX");
    }

    @Test
    void theCommentSpecExampleKeepsAuthorBodyAndTime() {
        CommentPage page = read("spec-examples/GET_rest_api_3_issue_comment_200_example.json", CommentPage.class);

        assertThat(page.total()).isEqualTo(1);
        Comment c = mapper.toComment("ED-1", page.comments().get(0));
        assertThat(c.author()).isEqualTo(new Person("5b10a2844c20165700ede21g", "Mia Krystof", null));
        assertThat(c.body()).startsWith("Lorem ipsum dolor sit amet").endsWith("posuere augue semper.");
        assertThat(c.createdAt()).isEqualTo(Instant.parse("2021-01-17T12:34:00Z"));
        assertThat(c.ref().id()).isEqualTo("ED-1/10000");
        assertThat(c.visibility()).isEqualTo(Visibility.PUBLIC);
    }

    @Test
    void airbytesRecordedCloudCommentsKeepVisibilityAuthorAndOffsetTimes() {
        CommentPage page = read("airbyte_source-jira_issue_comments.json", CommentPage.class);

        List<Comment> comments = page.comments().stream().map(c -> mapper.toComment("IT-1", c)).toList();
        assertThat(comments).hasSize(2);
        assertThat(comments).extracting(Comment::visibility).containsOnly(Visibility.PUBLIC);
        assertThat(comments.get(0).body()).isEqualTo("Closed");
        assertThat(comments.get(0).author()).isEqualTo(new Person("5fc9e78d2730d800760becc4", "integration test",
                "integration-test@airbyte.io"));
        assertThat(comments.get(0).createdAt()).isEqualTo(Instant.parse("2022-05-17T11:06:55.076Z"));
        assertThat(comments.get(1).createdAt()).isEqualTo(Instant.parse("2021-04-14T21:32:43.099Z"));
    }

    @Test
    void myselfGivesTheAccountsTimeZone() {
        User me = read("spec-examples/GET_rest_api_3_myself_200_example.json", User.class);

        assertThat(me.accountId()).isEqualTo("5b10a2844c20165700ede21g");
        assertThat(me.timeZone()).isEqualTo("Australia/Sydney");
        assertThat(me.emailAddress()).isEqualTo("mia@example.com");
    }

    @Test
    void goJirasTransitionsMapByTheirOlderCategoryKeys() {
        TransitionList list = read("go-jira/go-jira_transitions.json", TransitionList.class);

        assertThat(list.transitions()).extracting(t -> t.id()).containsExactly("2", "711");
        assertThat(mapper.status(list.transitions().get(0).to())).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(mapper.status(list.transitions().get(1).to())).isEqualTo(TicketStatus.CLOSED);
        assertThat(JiraTicketMapper.category(list.transitions().get(0).to())).isEqualTo("indeterminate");
        assertThat(JiraTicketMapper.category(list.transitions().get(1).to())).isEqualTo("done");
        assertThat(list.transitions().get(1).fields()).containsKeys("summary", "colour");
        assertThat(list.transitions().get(1).fields().get("summary").isRequired()).isFalse();
    }

    @Test
    void everyGoJiraStatusMapsToACanonicalStatusByNameOrCategory() throws Exception {
        List<Status> statuses = JsonCodec.mapper().readValue(VendorTestData.read("jira", "go-jira/go-jira_all_statuses.json"),
                new TypeReference<List<Status>>() { });

        assertThat(statuses).hasSize(37);
        Map<String, TicketStatus> byName = new java.util.HashMap<>();
        statuses.forEach(s -> byName.put(s.name(), mapper.status(s)));
        assertThat(byName).containsEntry("Idea", TicketStatus.NEW)
                .containsEntry("QA", TicketStatus.IN_PROGRESS)
                .containsEntry("Done", TicketStatus.RESOLVED)
                .containsEntry("Rejected", TicketStatus.RESOLVED)
                .containsEntry("In Progress", TicketStatus.IN_PROGRESS)
                .containsEntry("To Do", TicketStatus.NEW)
                .containsEntry("Archived", TicketStatus.OPEN);
        assertThat(byName).doesNotContainValue(null);
    }

    @Test
    void goJirasPrioritiesMapToP1ToP4() throws Exception {
        List<NamedRef> priorities = JsonCodec.mapper().readValue(
                VendorTestData.read("jira", "go-jira/go-jira_all_priorities.json"), new TypeReference<List<NamedRef>>() { });

        assertThat(priorities).extracting(p -> mapper.priority(p.name()).orElseThrow())
                .containsExactly(Priority.P1, Priority.P2, Priority.P3, Priority.P4, Priority.P4);
        assertThat(priorities.get(0).id()).isEqualTo("1");
    }

    @Test
    void perConnectionTablesOverrideTheDefaults() {
        JiraTicketMapper custom = new JiraTicketMapper("c", Map.of("Waiting for customer", "OPEN", "Triage", "NEW"),
                Map.of("High", "P1"), Map.of("P1", "Critical"), "customfield_10010", null, k -> null);

        assertThat(custom.status(new Status("1", "Waiting for customer", null))).isEqualTo(TicketStatus.OPEN);
        assertThat(custom.status(new Status("2", "triage", null))).isEqualTo(TicketStatus.NEW);
        assertThat(custom.priority("High")).contains(Priority.P1);
        assertThat(custom.priorityName(Priority.P1)).isEqualTo("Critical");
        assertThat(custom.priorityName(Priority.P3)).isEqualTo("Medium");
    }

    @Test
    void goJirasErrorBodyBecomesTheMessageAndItsEmptyBodyIsHandled() {
        ErrorCollection errors = read("go-jira/go-jira_no_permissionscheme.json", ErrorCollection.class);
        assertThat(errors.errorMessages()).containsExactly("Permission scheme 101001 does not exist");

        JiraErrorClassifier classifier = new JiraErrorClassifier(java.time.Clock.systemUTC());
        assertThat(classifier.classify("read", 404, okhttp3.Headers.of(),
                VendorTestData.read("jira", "go-jira/go-jira_no_permissionscheme.json")).getMessage())
                .isEqualTo("Jira read failed: HTTP 404 Permission scheme 101001 does not exist");
        assertThat(classifier.classify("read", 500, okhttp3.Headers.of(),
                VendorTestData.read("jira", "go-jira/go-jira_no_roles.json")).getMessage())
                .isEqualTo("Jira read failed: HTTP 500");
    }
}
