package org.itsmhub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.runtime.config.TestCatalogs.where;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigValidatorTest {

    /** Two tenants with valid connections; acme's first sync is open at the end (line 11). */
    private static final String TWO_TENANTS = """
            tenants:
              globex:
                connections:
                  globex-freshdesk: { plugin: freshdesk, base.url: "https://globex.freshdesk.com", api.key: globex-key-1 }
              acme:
                connections:
                  acme-freshdesk: { plugin: freshdesk, base.url: "https://acme.freshdesk.com", api.key: acme-key-1 }
                  acme-jira: { plugin: jira, base.url: "https://acme.atlassian.net" }
                syncs:
                  - id: acme-tickets
                    flow: ticket-sync
            """;

    @TempDir
    Path dir;

    @Test
    void reportsEveryProblemAtOnceWithFileLineAndColumn() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/config/many-problems.yaml").toURI());

        LoadResult result = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, name -> null).load(file);

        assertThat(result.isValid()).isFalse();
        assertThat(result.issues()).extracting(ConfigIssue::toString).containsExactly(
                file + ":3:11: hub.http.port: must be a whole number from 1 to 65535, was '0'",
                file + ":4:5: hub.http.admin-tokn: unknown key (did you mean 'admin-token'?); expected one of: bind, port, admin-token, idle-timeout, header-timeout, "
                        + "request-timeout, max-connections, max-header-size, max-body-size",
                file + ":10:19: tenants.acme.connections.acme-freshdesk.base.url: must use https (plain http is only accepted for localhost), was 'http://acme.freshdesk.com'",
                file + ":11:18: tenants.acme.connections.acme-freshdesk.api.key: environment variable ACME_FRESHDESK_KEY is not set",
                file + ":12:20: tenants.acme.connections.acme-freshdesk.page.size: must be a whole number, was 'many'",
                file + ":14:17: tenants.acme.connections.acme-snow.plugin: unknown plugin 'servicenow'; installed plugins: broken, freshdesk, jira",
                file + ":18:19: tenants.acme.syncs[0].schedule: not a valid Quartz cron expression: Unexpected end of expression.; Quartz needs 6 or 7 fields starting with seconds, e.g. '0 */5 * * * ?'",
                file + ":20:27: tenants.acme.syncs[0].right-connection: cross-tenant reference: connection 'globex-jira' belongs to tenant Globex, not acme; a sync may only use connections of its own tenant (tenants never see each other's data)",
                file + ":21:13: tenants.acme.syncs[1].id: duplicate sync id 'acme-tickets' (first used at line 16 in tenant acme); sync ids must be unique across the file",
                file + ":25:9: tenants.acme.syncs[1].colour: unknown parameter of flow 'asset-sync'; its parameters: source-connections, target-connection",
                file + ":26:3: tenants.Globex: tenant id 'Globex' must match [a-z0-9][a-z0-9-_]* (lower-case letters, digits, '-' and '_', starting with a letter or digit)");
    }

    @Test
    void unknownTopLevelKeyIsReportedWithTheClosestKnownKey() throws IOException {
        List<ConfigIssue> issues = issues("""
                tenant:
                  acme: {}
                """);

        assertThat(issues).extracting(TestCatalogs::where).containsExactly("1:1 tenant");
        assertThat(issues.get(0).message()).isEqualTo("unknown key (did you mean 'tenants'?); expected one of: hub, tenants");
    }

    @Test
    void unknownHubKeysAreReportedWhereTheyAreWritten() throws IOException {
        List<ConfigIssue> issues = issues("""
                hub:
                  http:
                    prot: 8080
                  plugin-dir: ./plugins
                """);

        assertThat(issues).extracting(TestCatalogs::where).containsExactly("3:5 hub.http.prot", "4:3 hub.plugin-dir");
        assertThat(issues.get(0).message()).startsWith("unknown key (did you mean 'port'?)");
        assertThat(issues.get(1).message()).startsWith("unknown key (did you mean 'plugins-dir'?)");
    }

    @Test
    void portMustBeAWholeNumberFrom1To65535() throws IOException {
        assertThat(issues("""
                hub:
                  http: { bind: 127.0.0.1, port: 70000 }
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("2:34 hub.http.port must be a whole number from 1 to 65535, was '70000'");
        assertThat(issues("""
                hub:
                  http:
                    port: http
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("3:11 hub.http.port must be a whole number from 1 to 65535, was 'http'");
    }

    @Test
    void httpLimitsMustBePositiveDurationsAndCounts() throws IOException {
        assertThat(issues("""
                hub:
                  http:
                    header-timeout: soon
                    idle-timeout: 0s
                    max-connections: 0
                    max-body-size: 2m
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "3:21 hub.http.header-timeout must be a duration above zero such as 500ms, 10s or 2m, was 'soon'",
                "4:19 hub.http.idle-timeout must be a duration above zero such as 500ms, 10s or 2m, was '0s'",
                "5:22 hub.http.max-connections must be a whole number from 1 to 1000000, was '0'",
                "6:20 hub.http.max-body-size must be a whole number from 1 to 1073741824, was '2m'");
    }

    @Test
    void clusterLeaseAndItsWaitAreDurationsAboveZero() throws IOException {
        assertThat(issues("""
                hub:
                  cluster:
                    lease: 0s
                    lease-wait: forever
                    leese: 30s
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "3:12 hub.cluster.lease must be a duration above zero such as 500ms, 10s or 2m, was '0s'",
                "4:17 hub.cluster.lease-wait must be a duration above zero such as 500ms, 10s or 2m, was 'forever'",
                "5:5 hub.cluster.leese unknown key (did you mean 'lease'?); expected one of: lease, lease-wait");
    }

    @Test
    void clusterLeaseSettingsAreReadAndDefaultWhenAbsent() throws IOException {
        String tenant = """
                tenants:
                  acme:
                    connections:
                      acme-jira: { plugin: jira, base.url: "https://acme.atlassian.net" }
                """;
        LoadResult set = TestCatalogs.load(dir, """
                hub:
                  cluster:
                    lease: 45s
                    lease-wait: 2m
                """ + tenant, Map.of());
        assertThat(set.issues()).isEmpty();
        LoadResult absent = TestCatalogs.load(dir, tenant, Map.of());
        assertThat(absent.issues()).isEmpty();

        assertThat(set.config().hub().cluster()).isEqualTo(new HubSettings.Cluster(Duration.ofSeconds(45),
                Duration.ofMinutes(2)));
        assertThat(absent.config().hub().cluster()).isEqualTo(new HubSettings.Cluster(Duration.ofSeconds(10),
                Duration.ofMinutes(5)));
    }

    @Test
    void storeUrlMustBeAJdbcUrl() throws IOException {
        assertThat(issues("""
                hub:
                  store:
                    url: postgres://db/hub
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("3:10 hub.store.url must be a JDBC URL starting with 'jdbc:', was 'postgres://db/hub'");
    }

    @Test
    void connectionWithoutPluginIsReportedAtTheConnection() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        base.url: https://acme.freshdesk.com
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("4:7 tenants.acme.connections.acme-freshdesk.plugin "
                        + "missing required key 'plugin' (installed plugins: broken, freshdesk, jira)");
    }

    @Test
    void unknownPluginListsTheInstalledOnes() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdek
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("5:17 tenants.acme.connections.acme-freshdesk.plugin "
                        + "unknown plugin 'freshdek' (did you mean 'freshdesk'?); installed plugins: broken, freshdesk, jira");
    }

    @Test
    void connectorKeysAreCheckedByThePluginsConfigDefAtTheirOwnPositions() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: acme.freshdesk.com
                        page.size: 500
                        api.kee: x
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "4:7 tenants.acme.connections.acme-freshdesk.api.key missing required key (API key of the agent the hub acts as.)",
                "6:19 tenants.acme.connections.acme-freshdesk.base.url must be an absolute http(s) URL, was 'acme.freshdesk.com'",
                "7:20 tenants.acme.connections.acme-freshdesk.page.size must be between 1 and 100, was 500",
                "8:9 tenants.acme.connections.acme-freshdesk.api.kee unknown key (did you mean 'api.key'?)");
    }

    @Test
    void crossKeyRuleOfThePluginPointsAtTheConnectionWhenTheResponsibleKeyIsMissing() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-jira:
                        plugin: jira
                        base.url: https://acme.atlassian.net
                        auth.token: t0ken-value
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("4:7 tenants.acme.connections.acme-jira.auth.user required when auth.token is set");
    }

    @Test
    void problemInsideAMapValuePointsAtThatEntry() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-jira:
                        plugin: jira
                        base.url: https://acme.atlassian.net
                        status.map:
                          open: [To Do, Backlog]
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("8:17 tenants.acme.connections.acme-jira.status.map.open must be a plain value");
    }

    @Test
    void pluginThatThrowsWhileValidatingIsReportedNotPropagated() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-broken:
                        plugin: broken
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("4:7 tenants.acme.connections.acme-broken "
                        + "plugin 'broken' failed while checking this connection (java.lang.IllegalStateException)");
    }

    @Test
    void tenantAndConnectionIdsMustBeLowerCaseNames() throws IOException {
        assertThat(issues("""
                tenants:
                  Acme:
                    connections:
                      Acme_Desk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: k
                  globex:
                    connections:
                      -desk:
                        plugin: freshdesk
                        base.url: https://globex.freshdesk.com
                        api.key: k
                      globex_desk-2:
                        plugin: freshdesk
                        base.url: https://globex.freshdesk.com
                        api.key: k
                """)).extracting(i -> where(i) + " " + i.message().substring(0, i.message().indexOf(" must"))).containsExactly(
                "2:3 tenants.Acme tenant id 'Acme'",
                "4:7 tenants.Acme.connections.Acme_Desk connection id 'Acme_Desk'",
                "10:7 tenants.globex.connections.-desk connection id '-desk'");
    }

    @Test
    void syncWithoutFlowOrScheduleIsReportedAtTheSync() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    syncs:
                      - id: acme-tickets
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "4:9 tenants.acme.syncs[0].flow missing required key 'flow' (known flows: asset-sync, ticket-sync)",
                "4:9 tenants.acme.syncs[0].schedule missing required key 'schedule' (a Quartz cron expression, e.g. '0 */5 * * * ?')");
    }

    @Test
    void unknownFlowListsTheKnownFlows() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    syncs:
                      - id: acme-tickets
                        flow: tiket-sync
                        schedule: "0 */2 * * * ?"
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "5:15 tenants.acme.syncs[0].flow unknown flow 'tiket-sync' (did you mean 'ticket-sync'?); known flows: asset-sync, ticket-sync");
    }

    @Test
    void badQuartzCronIsReportedAtTheSchedule() throws IOException {
        assertThat(issues(TWO_TENANTS + """
                        schedule: "0 0 25 * * ?"
                        left-connection: acme-freshdesk
                        right-connection: acme-jira
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "12:19 tenants.acme.syncs[0].schedule not a valid Quartz cron expression: Hour values must be between 0 and 23");
    }

    @Test
    void fiveFieldUnixCronGetsAHint() throws IOException {
        List<ConfigIssue> issues = issues(TWO_TENANTS + """
                        schedule: '*/5 * * * *'
                        left-connection: acme-freshdesk
                        right-connection: acme-jira
                """);

        assertThat(issues).extracting(TestCatalogs::where).containsExactly("12:19 tenants.acme.syncs[0].schedule");
        assertThat(issues.get(0).message()).endsWith("Quartz needs 6 or 7 fields starting with seconds, e.g. '0 */5 * * * ?'");
    }

    @Test
    void missingAndUnknownFlowParametersAreReportedButHubParametersAreNotDemanded() throws IOException {
        assertThat(issues(TWO_TENANTS + """
                        schedule: "0 */2 * * * ?"
                        left-conection: acme-freshdesk
                        tenant: globex
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "10:9 tenants.acme.syncs[0].left-connection missing parameter required by flow 'ticket-sync' (Where tickets are read from.)",
                "10:9 tenants.acme.syncs[0].right-connection missing parameter required by flow 'ticket-sync' (Where tickets are written to.)",
                "13:9 tenants.acme.syncs[0].left-conection unknown parameter of flow 'ticket-sync' (did you mean 'left-connection'?); "
                        + "its parameters: batch-size, left-connection, right-connection",
                "14:9 tenants.acme.syncs[0].tenant is set by the hub for every sync and cannot be set here");
    }

    @Test
    void syncIdsMustBeUniqueAcrossTheWholeFile() throws IOException {
        List<ConfigIssue> issues = issues("""
                tenants:
                  acme:
                    syncs:
                      - id: nightly
                        flow: asset-sync
                      - id: nightly
                        flow: asset-sync
                  globex:
                    syncs:
                      - id: nightly
                        flow: asset-sync
                """);

        assertThat(issues).filteredOn(i -> i.message().startsWith("duplicate sync id"))
                .extracting(i -> where(i) + " " + i.message()).containsExactly(
                "6:13 tenants.acme.syncs[1].id duplicate sync id 'nightly' (first used at line 4 in tenant acme); "
                        + "sync ids must be unique across the file",
                "10:13 tenants.globex.syncs[0].id duplicate sync id 'nightly' (first used at line 4 in tenant acme); "
                        + "sync ids must be unique across the file");
    }

    @Test
    void connectionParametersMustNameConnectionsOfTheSameTenant() throws IOException {
        assertThat(issues(TWO_TENANTS + """
                        schedule: "0 */2 * * * ?"
                        left-connection: globex-freshdesk
                        right-connection: globex/globex-freshdesk
                      - id: acme-assets
                        flow: asset-sync
                        source-connections: acme-freshdesk, globex-freshdesk,acme-jira
                        target-connection: acme-jra
                      - id: acme-assets-2
                        flow: asset-sync
                        source-connections: acme-freshdesk,,acme-jira
                        target-connection: acme/acme-jira
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "13:26 tenants.acme.syncs[0].left-connection cross-tenant reference: connection 'globex-freshdesk' belongs to tenant "
                        + "globex, not acme; a sync may only use connections of its own tenant (tenants never see each other's data)",
                "14:27 tenants.acme.syncs[0].right-connection cross-tenant reference 'globex/globex-freshdesk': a sync may only use "
                        + "connections of its own tenant (acme); tenants never see each other's data",
                "17:29 tenants.acme.syncs[1].source-connections cross-tenant reference: connection 'globex-freshdesk' belongs to tenant "
                        + "globex, not acme; a sync may only use connections of its own tenant (tenants never see each other's data)",
                "18:28 tenants.acme.syncs[1].target-connection unknown connection 'acme-jra' in tenant acme (did you mean 'acme-jira'?); "
                        + "its connections: acme-freshdesk, acme-jira",
                "21:29 tenants.acme.syncs[2].source-connections a comma-separated list of connection ids must not have empty entries",
                "22:28 tenants.acme.syncs[2].target-connection write the connection id without a tenant prefix: connections are always "
                        + "those of the sync's tenant (acme)");
    }

    @Test
    void scheduleMayComeFromTheTemplatesDefault() throws IOException {
        LoadResult result = TestCatalogs.load(dir, TWO_TENANTS.replace("ticket-sync", "asset-sync") + """
                        source-connections: acme-freshdesk, acme-jira
                        target-connection: acme-jira
                """, Map.of());

        assertThat(result.issues()).isEmpty();
        SyncConfig sync = result.config().syncs().get(0);
        assertThat(sync.schedule()).isNull();
        assertThat(sync.templateParameters()).doesNotContainKey("schedule")
                .containsEntry("sync-id", "acme-tickets").containsEntry("tenant", "acme");
    }

    @Test
    void unsetEnvironmentVariableIsNamedOnceWithoutFollowUpProblems() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: ${env:ACME_KEY}
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("7:18 tenants.acme.connections.acme-freshdesk.api.key environment variable ACME_KEY is not set");
    }

    @Test
    void unreadableFileReferenceNamesThePath() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: ${file:secrets/missing.txt}
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("7:18 tenants.acme.connections.acme-freshdesk.api.key cannot read file "
                        + dir.toAbsolutePath().resolve("secrets/missing.txt") + " (not found)");
    }

    @Test
    void valueFromAReferenceIsNeverShownInAProblem() throws IOException {
        Map<String, String> env = Map.of("ACME_URL", "ftp-acme-url-value", "HUB_PORT", "port-value-99", "FLOW", "flow-value-77",
                "LEFT", "globex-freshdesk");
        List<ConfigIssue> issues = TestCatalogs.load(dir, """
                hub:
                  http: { port: "${env:HUB_PORT}" }
                tenants:
                  globex:
                    connections:
                      globex-freshdesk: { plugin: freshdesk, base.url: "https://globex.freshdesk.com", api.key: globex-key-1 }
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: ${env:ACME_URL}
                        api.key: k
                    syncs:
                      - id: s1
                        flow: ${env:FLOW}
                        schedule: "0 0 * * * ?"
                      - id: s2
                        flow: asset-sync
                        source-connections: ${env:LEFT}
                        target-connection: acme-freshdesk
                """, env).issues();

        assertThat(issues).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "2:17 hub.http.port must be a whole number from 1 to 65535",
                "11:19 tenants.acme.connections.acme-freshdesk.base.url must be an absolute http(s) URL (value not shown)",
                "15:15 tenants.acme.syncs[0].flow unknown flow [hidden]; known flows: asset-sync, ticket-sync",
                "19:29 tenants.acme.syncs[1].source-connections cross-tenant reference: connection [hidden] belongs to tenant globex, "
                        + "not acme; a sync may only use connections of its own tenant (tenants never see each other's data)");
        assertThat(issues).allSatisfy(i -> assertThat(i.toString())
                .doesNotContain("ftp-acme-url-value", "port-value-99", "flow-value-77", "'globex-freshdesk'"));
    }

    @Test
    void duplicateKeysAreReportedAtTheDuplicate() throws IOException {
        assertThat(issues("""
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: k1
                        api.key: k2
                """)).extracting(i -> where(i) + " " + i.message())
                .containsExactly("8:9 tenants.acme.connections.acme-freshdesk.api.key duplicate key (first defined at line 7)");
    }

    @Test
    void wrongShapesAreReportedInsteadOfThrown() throws IOException {
        assertThat(issues("""
                hub: ./hub
                tenants:
                  acme:
                    connections:
                      acme-freshdesk: freshdesk
                    syncs:
                      acme-tickets: { flow: ticket-sync }
                """)).extracting(i -> where(i) + " " + i.message()).containsExactly(
                "1:6 hub must be a mapping, was a plain value",
                "5:23 tenants.acme.connections.acme-freshdesk a connection must be a mapping with 'plugin' and the plugin's keys, "
                        + "was a plain value",
                "7:7 tenants.acme.syncs must be a list of syncs, each starting with '- id:', was a mapping");
    }

    private List<ConfigIssue> issues(String yaml) throws IOException {
        LoadResult result = TestCatalogs.load(dir, yaml, Map.of());
        assertThat(result.isValid()).as("expected problems in:%n%s", yaml).isFalse();
        return result.issues();
    }
}
