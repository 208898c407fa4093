package org.itsmhub.plugin.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.Capability;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ServiceNowConnectorFactoryTest {

    private final ServiceNowConnectorFactory factory = new ServiceNowConnectorFactory();

    private static Map<String, Object> base() {
        return new HashMap<>(Map.of("instance.url", "https://acme.service-now.com", "auth.user", "itsm.hub",
                "auth.password", "pw"));
    }

    private List<ConfigProblem> problems(Map<String, Object> raw) {
        ConfigDef.Parsed parsed = factory.configDef().parse(raw);
        return parsed.isValid() ? factory.validate(parsed.config()) : parsed.problems();
    }

    @Test
    void theConnectorIsATicketSourceSinkAndWebhookParser() {
        assertThat(Capability.of(factory.connectorType())).containsExactlyInAnyOrder(Capability.TICKET_SOURCE,
                Capability.TICKET_SINK, Capability.WEBHOOK);
        assertThat(factory.id()).isEqualTo("servicenow");
    }

    @Test
    void theCmdbSettingsAreCheckedWithTheirKeys() {
        Map<String, Object> raw = base();
        raw.put("cmdb.api", "soap");
        raw.put("cmdb.class", "incident");
        raw.put("cmdb.data.source", "x^NQactive=true");
        raw.put("cmdb.stale.install.status", "Absent");
        assertThat(problems(raw)).extracting(ConfigProblem::key).containsExactlyInAnyOrder("cmdb.api", "cmdb.class",
                "cmdb.data.source", "cmdb.stale.install.status");
        raw.put("cmdb.api", "ire");
        raw.put("cmdb.class", "cmdb_ci_server");
        raw.put("cmdb.data.source", "ITSM Hub");
        raw.put("cmdb.stale.install.status", "7");
        assertThat(problems(raw)).isEmpty();
    }

    @Test
    void basicAuthNeedsOnlyUserAndPassword() {
        assertThat(problems(base())).isEmpty();
    }

    @Test
    void oauthNeedsClientIdAndSecretTogether() {
        Map<String, Object> raw = base();
        raw.put("oauth.client.id", "abc");
        assertThat(problems(raw)).extracting(ConfigProblem::key).containsExactly("oauth.client.secret");
        raw.remove("oauth.client.id");
        raw.put("oauth.client.secret", "s");
        assertThat(problems(raw)).extracting(ConfigProblem::key).containsExactly("oauth.client.id");
        raw.put("oauth.client.id", "abc");
        assertThat(problems(raw)).isEmpty();
    }

    @Test
    void webhookAuthenticationIsEitherBasicOrASecret() {
        Map<String, Object> raw = base();
        raw.put("webhook.user", "sn");
        assertThat(problems(raw)).extracting(ConfigProblem::key).containsExactly("webhook.password");
        raw.put("webhook.password", "x");
        raw.put("webhook.secret", "y");
        assertThat(problems(raw)).extracting(ConfigProblem::key).containsExactly("webhook.secret");
    }

    @Test
    void plainHttpIsOnlyAcceptedForLocalhostAndFiltersMustBeSysIds() {
        Map<String, Object> raw = base();
        raw.put("instance.url", "http://acme.service-now.com");
        raw.put("filter.company", "ACME^ORcompany!=x");
        assertThat(problems(raw)).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("instance.url", "filter.company");
    }

    @Test
    void everyProblemOfTheMappingTablesIsReported() {
        Map<String, Object> raw = base();
        raw.put("status.read.map", Map.of("10", "almost-done"));
        raw.put("priority.write.map", Map.of("P9", "1,1", "P2", "1"));
        assertThat(problems(raw)).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("status.read.map", "priority.write.map", "priority.write.map.P2");
    }

    @Test
    void mappingTablesOverrideTheDefaults() throws Exception {
        Map<String, Object> raw = base();
        raw.put("status.read.map", Map.of("10", "in_progress", "6", "closed"));
        raw.put("priority.read.map", Map.of("5", "P3"));
        ServiceNowTicketMapper mapper = new ServiceNowTicketMapper("c", ConnectorConfig.of(factory.configDef(), raw));
        IncidentRecord r = IncidentRecord.of(new ObjectMapper().readTree(
                "{\"sys_id\":\"03dbb48fdb040010a704fe1b6896191b\",\"state\":\"10\",\"priority\":\"5\"}"));

        Ticket t = mapper.toTicket(r);

        assertThat(t.status()).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(t.vendorStatus()).isEqualTo("10");
        assertThat(t.priority()).isEqualTo(Priority.P3);
        assertThat(t.title()).isEqualTo("03dbb48fdb040010a704fe1b6896191b");
        assertThat(mapper.status("6")).isEqualTo(TicketStatus.CLOSED);
        assertThat(mapper.status("99")).isEqualTo(TicketStatus.OPEN);
    }
}
