package org.itsmhub.plugin.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversation;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicket;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskSearchResult;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;

/** Every real Freshdesk sample the plugin reads, decoded without losing a mapped field. */
class FreshdeskFixturesTest {

    private final FreshdeskTicketMapper mapper = new FreshdeskTicketMapper("acme-fd", "https://acme.freshdesk.com",
            "field", "cf_itsm_hub_id", null, Map.of(), Map.of(), Map.of());
    private final FreshdeskTicketMapper tagMapper = new FreshdeskTicketMapper("acme-fd", "https://acme.freshdesk.com",
            "tag", "cf_itsm_hub_id", null, Map.of(), Map.of(), Map.of());

    private static String fixture(String name) {
        return VendorTestData.read("freshdesk", name);
    }

    @Test
    void theSingleTicketSampleKeepsEveryMappedField() {
        FreshdeskTicket dto = FreshdeskClient.decodeTicket(fixture("python-freshdesk_v2_ticket_1.json"));
        Ticket t = mapper.toTicket(dto);

        assertThat(t.ref()).isEqualTo(ExternalRef.of("freshdesk", "acme-fd", "1"));
        assertThat(t.ref().url()).isEqualTo("https://acme.freshdesk.com/a/tickets/1");
        assertThat(t.title()).isEqualTo("This is a sample ticket");
        assertThat(t.description()).isEqualTo("This is a sample ticket, feel free to delete it.");
        assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(t.vendorStatus()).isEqualTo("2");
        assertThat(t.priority()).isEqualTo(Priority.P4);
        assertThat(t.requester()).isEqualTo(new Person("43026449322", "Dummyname", "dummyname@example.com"));
        assertThat(t.assignee()).isEqualTo(new Person("6010396333", null, null));
        assertThat(t.assignmentGroup()).isNull();
        assertThat(t.category()).isEqualTo("Question");
        assertThat(t.createdAt()).isEqualTo(Instant.parse("2016-05-18T04:36:04Z"));
        assertThat(t.updatedAt()).isEqualTo(Instant.parse("2016-05-18T23:42:50Z"));
        assertThat(t.correlationId()).isNull();
        assertThat(t.attributes()).containsEntry("tags", "foo,bar").containsEntry("source", "2")
                .containsEntry("requester.id", "6012691534").doesNotContainKeys("company.id", "group.id");
    }

    @Test
    void theUpdatedTicketSampleShowsTheNewStatusPriorityAndSubject() {
        Ticket t = mapper.toTicket(FreshdeskClient.decodeTicket(fixture("python-freshdesk_v2_ticket_1_updated.json")));

        assertThat(t.title()).isEqualTo("Test subject update");
        assertThat(t.status()).isEqualTo(TicketStatus.RESOLVED);
        assertThat(t.priority()).isEqualTo(Priority.P2);
    }

    @Test
    void theTicketListSampleDecodesWithOffsetTimestampsAndTheTicketTypeName() {
        List<FreshdeskTicket> list = FreshdeskClient.decodeTickets(fixture("python-freshdesk_v2_all_tickets.json"));

        assertThat(list).hasSize(1);
        Ticket t = mapper.toTicket(list.get(0));
        assertThat(t.ref().id()).isEqualTo("1");
        assertThat(t.title()).isEqualTo("This is a sample ticket");
        assertThat(t.description()).as("the list sample has description_html only as 'description' text")
                .isEqualTo("This is a sample ticket, feel free to delete it.");
        assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(t.priority()).isEqualTo(Priority.P4);
        assertThat(t.category()).isEqualTo("Question");
        assertThat(t.createdAt()).isEqualTo(Instant.parse("2014-12-31T02:27:09Z"));
        assertThat(t.updatedAt()).isEqualTo(Instant.parse("2015-01-01T00:58:39Z"));
        assertThat(t.requester()).isEqualTo(new Person("5004272351", null, null));
        assertThat(t.assignee()).isEqualTo(new Person("5004272350", null, null));
        assertThat(t.attributes()).containsEntry("tags", "mytag");
    }

    @Test
    void theSearchSampleDecodesEveryResult() throws Exception {
        FreshdeskSearchResult result = JsonCodec.mapper().readValue(fixture("python-freshdesk_v2_search_tickets.json"),
                FreshdeskSearchResult.class);

        assertThat(result.total()).isEqualTo(2);
        List<Ticket> tickets = result.results().stream().map(mapper::toTicket).toList();
        assertThat(tickets).extracting(Ticket::title).containsExactly("This is a sample ticket", "This is another ticket");
        assertThat(tickets.get(1).updatedAt()).isEqualTo(Instant.parse("2020-01-01T07:02:12Z"));
        assertThat(tickets.get(1).attributes()).containsEntry("tags", "mytag,myothertag");
        assertThat(tagMapper.toTicket(result.results().get(0)).correlationId()).isNull();
    }

    @Test
    void theConversationSampleKeepsVisibilityAuthorBodyAndTime() {
        List<FreshdeskConversation> list = FreshdeskClient.decodeConversations(fixture("python-freshdesk_v2_conversations.json"));
        List<Comment> comments = list.stream().map(mapper::toComment).toList();

        Comment note = comments.get(0);
        assertThat(note.visibility()).isEqualTo(Visibility.INTERNAL);
        assertThat(note.body()).isEqualTo("This is a private note");
        assertThat(note.author()).isEqualTo(new Person("1", null, null));
        assertThat(note.createdAt()).isEqualTo(Instant.parse("2016-05-19T05:36:12Z"));
        assertThat(note.ref()).isEqualTo(ExternalRef.of("freshdesk", "acme-fd", "1"));
        Comment reply = comments.get(1);
        assertThat(reply.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(reply.body()).isEqualTo("This is a reply");
        assertThat(reply.author()).isEqualTo(new Person("1", "Rachel", "rachel@freshdesk.com"));
        assertThat(reply.createdAt()).isEqualTo(Instant.parse("2016-05-19T05:36:14Z"));
    }

    @Test
    void theNoteAndReplySamplesDecodeAsTheWriteAnswers() {
        Comment note = mapper.toComment(FreshdeskClient.decodeConversation(fixture("python-freshdesk_v2_note_1.json")));
        Comment reply = mapper.toComment(FreshdeskClient.decodeConversation(fixture("python-freshdesk_v2_reply_1.json")));

        assertThat(note.isInternal()).isTrue();
        assertThat(note.body()).isEqualTo("This is a private note");
        assertThat(note.ref().id()).isEqualTo("1");
        assertThat(note.ref().url()).isEqualTo("https://acme.freshdesk.com/a/tickets/1");
        assertThat(reply.isInternal()).isFalse();
        assertThat(reply.body()).isEqualTo("This is a reply");
        assertThat(reply.ref().id()).isEqualTo("2");
    }

    @Test
    void theLegacyV1TicketIsRejectedWithAClearError() {
        String legacy = fixture("python-freshdesk_v1_legacy_ticket_1.json");

        assertThatThrownBy(() -> FreshdeskClient.decodeTicket(legacy))
                .isInstanceOf(DataMappingException.class)
                .hasMessageContaining("legacy Freshdesk API v1 format")
                .hasMessageContaining("helpdesk_ticket");
        assertThatThrownBy(() -> FreshdeskClient.decodeTickets("[" + legacy + "]"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("API v1");
    }

    @Test
    void aTicketWithoutIdOrStatusIsRejectedRatherThanMappedHalfEmpty() {
        assertThatThrownBy(() -> FreshdeskClient.decodeTicket("{\"subject\":\"x\"}"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("not an API v2 ticket");
        assertThatThrownBy(() -> FreshdeskClient.decodeConversations("{\"id\":1}"))
                .isInstanceOf(DataMappingException.class);
    }
}
