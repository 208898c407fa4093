package org.itsmhub.plugin.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.model.Level;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.plugin.servicenow.dto.ErrorBody;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.itsmhub.plugin.servicenow.dto.TableResult;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The real ServiceNow responses in testdata/servicenow, decoded without losing a mapped field. */
class ServiceNowFixturesTest {

    private final ServiceNowTicketMapper mapper = new ServiceNowTicketMapper("acme-snow", ConnectorConfig.of(
            ServiceNowConnectorConfig.CONFIG, Map.of("instance.url", "https://dev58661.service-now.com",
                    "auth.user", "u", "auth.password", "p")));

    private Ticket decodeSingle(String fixture) {
        JsonNode record = TableResult.single(VendorTestData.read("servicenow", fixture), fixture);
        return mapper.toTicket(IncidentRecord.of(record));
    }

    @Test
    void theIncidentReadBySysIdKeepsEveryMappedField() {
        Ticket t = decodeSingle("itential_GET_table_incident_by_sys_id.json");

        assertThat(t.ref().system()).isEqualTo("servicenow");
        assertThat(t.ref().connection()).isEqualTo("acme-snow");
        assertThat(t.ref().id()).isEqualTo("03dbb48fdb040010a704fe1b6896191b");
        assertThat(t.ref().url()).isEqualTo(
                "https://dev58661.service-now.com/incident.do?sys_id=03dbb48fdb040010a704fe1b6896191b");
        assertThat(t.title()).isEqualTo("Updated Table Record");
        assertThat(t.description()).isNull();
        assertThat(t.status()).isEqualTo(TicketStatus.NEW);
        assertThat(t.vendorStatus()).isEqualTo("1");
        assertThat(t.priority()).isEqualTo(Priority.P4); // 5 - Planning
        assertThat(t.impact()).isEqualTo(Level.LOW);
        assertThat(t.urgency()).isEqualTo(Level.LOW);
        assertThat(t.category()).isEqualTo("inquiry");
        assertThat(t.requester()).isNull();
        assertThat(t.assignee()).isNull();
        assertThat(t.assignmentGroup()).isNull();
        assertThat(t.correlationId()).isNull();
        assertThat(t.createdAt()).isEqualTo(Instant.parse("2019-09-26T23:01:45Z"));
        assertThat(t.updatedAt()).isEqualTo(Instant.parse("2019-09-26T23:01:47Z"));
        assertThat(t.attributes()).containsEntry("number", "INC0010019")
                .containsEntry("opened_by", "6816f79cc0a8016401c5a33be04be441") // a reference {link, value}
                .containsEntry("sys_class_name", "incident");
    }

    @Test
    void theCreatedIncidentKeepsEveryMappedField() {
        Ticket t = decodeSingle("itential_POST_table_incident_created.json");

        assertThat(t.ref().id()).isEqualTo("03dbb48fdb040010a704fe1b6896191b");
        assertThat(t.title()).isEqualTo("Create Table Record");
        assertThat(t.status()).isEqualTo(TicketStatus.NEW);
        assertThat(t.createdAt()).isEqualTo(t.updatedAt()).isEqualTo(Instant.parse("2019-09-26T23:01:45Z"));
        assertThat(t.attributes()).containsEntry("number", "INC0010019");
    }

    @Test
    void anEmptyTableResultIsAnEmptyList() {
        assertThat(TableResult.list(VendorTestData.read("servicenow", "itential_GET_pa_scorecards_empty_result.json"),
                "empty result")).isEmpty();
    }

    @Test
    void recordsWithDisplayValuesDecodeToTheirRawUtcValues() {
        // sn_chg_rest answers every field as {"display_value", "value"}; task fields mean the same as on incident.
        List<JsonNode> changes = TableResult.list(VendorTestData.read("servicenow",
                "itential_GET_sn_chg_rest_change_normal_display_value_all.json"), "change list");
        IncidentRecord first = IncidentRecord.of(changes.get(0));

        assertThat(changes).hasSize(86);
        assertThat(first.sysId()).isEqualTo("a9e9c33dc61122760072455df62663d2");
        assertThat(first.number()).isEqualTo("CHG0000001");
        assertThat(first.shortDescription()).isEqualTo("Rollback Oracle Version");
        assertThat(first.state()).isEqualTo("-5");
        assertThat(first.priority()).isEqualTo("3");
        assertThat(first.impact()).isEqualTo("3");
        assertThat(first.category()).isEqualTo("Software");
        assertThat(first.assignmentGroup()).isNull();
        // the display value is the user's time zone (05:42:23), the value is UTC
        assertThat(ServiceNowTicketMapper.timestamp(first.sysUpdatedOn())).isEqualTo(Instant.parse("2019-06-04T12:42:23Z"));
        assertThat(changes).allSatisfy(c -> assertThat(IncidentRecord.of(c).sysId()).matches("[0-9a-f]{32}"));
    }

    @Test
    void theErrorEnvelopeGivesMessageAndDetail() {
        assertThat(ErrorBody.parse(ServiceNowStubs.resource("error_401_not_authenticated.json"))).get()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo("failure");
                    assertThat(e.summary()).isEqualTo("User Not Authenticated: Required to provide Auth information");
                });
        assertThat(ErrorBody.parse(ServiceNowStubs.resource("error_400_invalid_table.json"))).get()
                .extracting(ErrorBody::summary).isEqualTo("Invalid table nosuchtable");
        assertThat(ErrorBody.parse("<html>")).isEmpty();
    }
}
