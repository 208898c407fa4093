package org.itsmhub.plugin.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.TicketStatus;
import org.junit.jupiter.api.Test;

class FreshdeskConfigTest {

    private final FreshdeskConnectorFactory factory = new FreshdeskConnectorFactory();

    private List<ConfigProblem> problems(Map<String, Object> raw) {
        ConfigDef.Parsed parsed = factory.configDef().parse(raw);
        return parsed.isValid() ? factory.validate(parsed.config()) : parsed.problems();
    }

    @Test
    void aMinimalConfigIsValidAndTheDefaultsAreSafe() {
        ConfigDef.Parsed parsed = factory.configDef().parse(Map.of("base.url", "https://acme.freshdesk.com", "api.key", "k"));

        assertThat(parsed.problems()).isEmpty();
        assertThat(factory.validate(parsed.config())).isEmpty();
        assertThat(parsed.config().getInt("rate.limit.per.minute")).isEqualTo(100);
        assertThat(parsed.config().getString("correlation.mode")).isEqualTo("field");
        assertThat(parsed.config().toString()).doesNotContain("=k,").contains("[hidden]");
    }

    @Test
    void everyProblemIsReportedAgainstItsKey() {
        List<ConfigProblem> found = problems(Map.of("base.url", "http://acme.freshdesk.com", "api.key", "",
                "initial.since", "yesterday", "correlation.mode", "label", "correlation.field", "itsm id",
                "rate.limit.per.minute", -1));

        assertThat(found).extracting(ConfigProblem::key).containsExactlyInAnyOrder("base.url", "api.key",
                "initial.since", "correlation.mode", "correlation.field", "rate.limit.per.minute");
    }

    @Test
    void overrideTablesAreCheckedKeyByKey() {
        List<ConfigProblem> found = problems(Map.of("base.url", "https://acme.freshdesk.com", "api.key", "k",
                "status.map", Map.of("six", "PENDING", "7", "WAITING"),
                "status.write.map", Map.of("DONE", "4"),
                "priority.map", Map.of("5", "P1", "1", "P9")));

        assertThat(found).extracting(ConfigProblem::key).containsExactlyInAnyOrder("status.map.six", "status.map.7",
                "status.write.map.DONE", "priority.map.5", "priority.map.1");
    }

    @Test
    void aBaseUrlWithAPathIsRefused() {
        assertThat(problems(Map.of("base.url", "https://acme.freshdesk.com/api/v2", "api.key", "k")))
                .singleElement().extracting(ConfigProblem::key).isEqualTo("base.url");
    }

    @Test
    void initialSinceAcceptsDurationsAndInstants() {
        Instant now = Instant.parse("2024-03-10T00:00:00Z");

        assertThat(FreshdeskConnectorConfig.resolveSince("30d", now)).isEqualTo(Instant.parse("2024-02-09T00:00:00Z"));
        assertThat(FreshdeskConnectorConfig.resolveSince("PT2H", now)).isEqualTo(Instant.parse("2024-03-09T22:00:00Z"));
        assertThat(FreshdeskConnectorConfig.resolveSince("2023-01-01T00:00:00Z", now))
                .isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
    }

    @Test
    void theDefaultTablesMatchFreshdesksCodesAndOverridesWinBothWays() {
        FreshdeskTicketMapper defaults = new FreshdeskTicketMapper("c", "https://a.freshdesk.com", "field",
                "cf_itsm_hub_id", null, Map.of(), Map.of(), Map.of());
        assertThat(defaults.statusCode(TicketStatus.NEW)).isEqualTo(2);
        assertThat(defaults.statusCode(TicketStatus.OPEN)).isEqualTo(2);
        assertThat(defaults.statusCode(TicketStatus.PENDING)).isEqualTo(3);
        assertThat(defaults.statusCode(TicketStatus.RESOLVED)).isEqualTo(4);
        assertThat(defaults.statusCode(TicketStatus.CLOSED)).isEqualTo(5);
        assertThat(defaults.statusCode(TicketStatus.CANCELLED)).isEqualTo(5);
        assertThat(defaults.priorityCode(Priority.P1)).isEqualTo(4);
        assertThat(defaults.priorityCode(Priority.P2)).isEqualTo(3);
        assertThat(defaults.priorityCode(Priority.P3)).isEqualTo(2);
        assertThat(defaults.priorityCode(Priority.P4)).isEqualTo(1);

        FreshdeskTicketMapper custom = new FreshdeskTicketMapper("c", "https://a.freshdesk.com", "field",
                "cf_itsm_hub_id", null, Map.of("6", "pending"), Map.of("IN_PROGRESS", "6"), Map.of("3", "P1"));
        assertThat(custom.statusCode(TicketStatus.IN_PROGRESS)).isEqualTo(6);
        assertThat(custom.priorityCode(Priority.P1)).isEqualTo(3);
        assertThat(FreshdeskTicketMapper.DEFAULT_STATUS_READ).containsEntry(2, TicketStatus.OPEN)
                .containsEntry(3, TicketStatus.PENDING).containsEntry(4, TicketStatus.RESOLVED)
                .containsEntry(5, TicketStatus.CLOSED);
    }
}
