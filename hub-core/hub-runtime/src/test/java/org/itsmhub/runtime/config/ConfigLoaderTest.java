package org.itsmhub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of(
            "STORE_PASSWORD", "store-password-from-env",
            "ACME_FRESHDESK_KEY", "acme-freshdesk-key-from-env");

    @TempDir
    Path dir;

    @Test
    void loadsAValidFileIntoTheExpectedRecords() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/config/valid-hub.yaml").toURI());

        LoadResult result = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, ENV::get).load(file);

        assertThat(result.issues()).isEmpty();
        HubConfig config = result.orElseThrow();
        assertThat(config.file()).isEqualTo(file);
        assertThat(config.hub()).isEqualTo(new HubSettings(
                new HubSettings.Store("jdbc:h2:file:./data/test", "sa", Secret.of("store-password-from-env")),
                new HubSettings.Http("0.0.0.0", 9090, Secret.of("admin-token-from-file")),
                Path.of("./my-plugins"), Path.of("./my-routes")));
        assertThat(config.hub().http().adminApiEnabled()).isTrue();
        assertThat(config.tenants()).containsOnlyKeys("acme", "globex");

        TenantConfig acme = config.tenant("acme").orElseThrow();
        assertThat(acme.connections()).containsOnlyKeys("acme-freshdesk", "acme-jira");
        ConnectionConfig freshdesk = acme.connections().get("acme-freshdesk");
        assertThat(freshdesk.tenant()).isEqualTo("acme");
        assertThat(freshdesk.plugin()).isEqualTo("freshdesk");
        assertThat(freshdesk.parsed().getUrl("base.url")).isEqualTo(URI.create("https://acme.freshdesk.com"));
        assertThat(freshdesk.parsed().getSecret("api.key").reveal()).isEqualTo("acme-freshdesk-key-from-env");
        assertThat(freshdesk.parsed().getInt("page.size")).isEqualTo(100);
        assertThat(freshdesk.rawValues()).containsEntry("base.url", "https://acme.freshdesk.com")
                .containsEntry("api.key", Secret.of("acme-freshdesk-key-from-env"));
        ConnectionConfig jira = acme.connections().get("acme-jira");
        assertThat(jira.parsed().getSecret("auth.token").reveal()).isEqualTo("jira-token-from-file");
        assertThat(jira.parsed().getMap("status.map")).containsExactly(
                Map.entry("open", "To Do"), Map.entry("in_progress", "In Progress"));

        assertThat(acme.syncs()).containsExactly(new SyncConfig("acme", "acme-tickets", "ticket-sync", "0 */2 * * * ?",
                Map.of("left-connection", "acme-freshdesk", "right-connection", "acme-jira", "batch-size", "20")));
        assertThat(config.tenant("globex").orElseThrow().connections().get("globex-freshdesk").parsed().getInt("page.size"))
                .isEqualTo(25);
        assertThat(config.syncs()).extracting(SyncConfig::id).containsExactly("acme-tickets", "globex-assets");
        assertThat(config.syncs().get(1).parameters()).containsEntry("source-connections", "globex-freshdesk");
    }

    @Test
    void collectsEverySecretValueForTheLogRedactor() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/config/valid-hub.yaml").toURI());

        HubConfig config = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, ENV::get).load(file).orElseThrow();

        assertThat(config.secretValues()).containsExactlyInAnyOrder("store-password-from-env", "admin-token-from-file",
                "acme-freshdesk-key-from-env", "jira-token-from-file", "globex-literal-key");
        assertThat(config.redactor().redact("GET with key acme-freshdesk-key-from-env failed"))
                .isEqualTo("GET with key [hidden] failed");
    }

    @Test
    void secretValueNeverAppearsInToStringOfTheLoadedConfig() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/config/valid-hub.yaml").toURI());

        HubConfig config = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, ENV::get).load(file).orElseThrow();

        List<String> texts = List.of(config.toString(), config.hub().toString(), config.tenants().toString(),
                config.tenant("acme").orElseThrow().toString(), config.redactor().toString());
        for (String secret : config.secretValues()) {
            assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(secret));
        }
        assertThat(config.toString()).contains("acme-tickets", "[hidden]");
    }

    @Test
    void secretValueNeverAppearsInAnyProblemMessage() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/token.txt"), "Short1\n");
        Map<String, String> env = Map.of("KEY", "s3cr3t-key-value", "PORT", "s3cr3t-port");

        LoadResult result = TestCatalogs.load(dir, """
                hub:
                  store: { password: "pw-literal-secret", url: "mysql:${env:KEY}" }
                  http: { port: "${env:PORT}", admin-token: literal-admin-token }
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: "https://x/${file:secrets/token.txt}/${env:KEY}"
                        api.key: [pw-literal-secret]
                        page.size: ${env:KEY}
                      acme-jira:
                        plugin: jira
                        base.url: https://acme.atlassian.net
                        auth.token: ${file:secrets/token.txt}
                    syncs:
                      - id: s1
                        flow: ticket-sync
                        schedule: "${env:KEY} * * * * ?"
                        left-connection: ${env:KEY}
                        right-connection: ${file:secrets/token.txt}
                """, env);

        assertThat(result.issues()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(result.issues()).allSatisfy(i -> assertThat(i.toString())
                .doesNotContain("s3cr3t-key-value", "s3cr3t-port", "Short1", "pw-literal-secret", "literal-admin-token"));
    }

    @Test
    void resolvesSeveralReferencesInOneScalarAndStripsTheFilesTrailingNewline() throws IOException {
        Path configDir = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(configDir.resolve("keys"));
        Files.writeString(configDir.resolve("keys/acme.key"), "key-from-file\n");
        Path file = configDir.resolve("hub.yaml");
        Files.writeString(file, """
                hub:
                  store: { url: "jdbc:postgresql://${env:DB_HOST}:${env:DB_PORT}/hub", user: "${env:DB_USER}" }
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://${env:DB_USER}.freshdesk.com
                        api.key: "${file:keys/acme.key}:${env:DB_PORT}"
                """);
        Map<String, String> env = Map.of("DB_HOST", "db.internal", "DB_PORT", "5432", "DB_USER", "acme");

        HubConfig config = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, env::get).load(file).orElseThrow();

        assertThat(config.hub().store().url()).isEqualTo("jdbc:postgresql://db.internal:5432/hub");
        assertThat(config.hub().store().user()).isEqualTo("acme");
        ConnectionConfig c = config.tenant("acme").orElseThrow().connections().get("acme-freshdesk");
        assertThat(c.parsed().getUrl("base.url")).hasToString("https://acme.freshdesk.com");
        assertThat(c.parsed().getSecret("api.key").reveal()).isEqualTo("key-from-file:5432");
        assertThat(config.secretValues()).contains("db.internal", "5432", "acme", "key-from-file");
    }

    @Test
    void hubSectionIsOptional() throws IOException {
        HubConfig config = TestCatalogs.load(dir, "tenants: {}\n", Map.of()).orElseThrow();

        assertThat(config.hub()).isEqualTo(HubSettings.defaults());
        assertThat(config.hub().pluginsDir()).isEqualTo(Path.of("./plugins"));
        assertThat(config.hub().routesDir()).isEqualTo(Path.of("./routes"));
        assertThat(config.hub().http().adminApiEnabled()).isFalse();
        assertThat(config.tenants()).isEmpty();
    }

    @Test
    void yamlSyntaxErrorBecomesOneIssueAtThePositionSnakeyamlReports() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                tenants:
                  acme:
                    connections:
                      acme-freshdesk: { plugin: freshdesk
                    syncs: []
                """, Map.of());

        assertThat(result.issues()).hasSize(1);
        ConfigIssue issue = result.issues().get(0);
        assertThat(TestCatalogs.where(issue)).isEqualTo("5:10 ");
        assertThat(issue.message()).startsWith("YAML syntax error: ");
    }

    @Test
    void syntaxErrorMessageDoesNotQuoteTheOffendingLine() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                hub:
                  store: { password: "hunter2-is-my-password }
                """, Map.of());

        assertThat(result.issues()).hasSize(1);
        assertThat(result.issues().get(0).toString()).doesNotContain("hunter2");
    }

    @Test
    void emptyFileIsAProblem() throws IOException {
        assertThat(TestCatalogs.load(dir, "# nothing yet\n", Map.of()).issues())
                .extracting(i -> TestCatalogs.where(i) + " " + i.message())
                .containsExactly("1:1  the config file is empty; it needs a 'tenants' section");
    }

    @Test
    void secondYamlDocumentIsAProblem() throws IOException {
        assertThat(TestCatalogs.load(dir, "tenants: {}\n---\ntenants: {}\n", Map.of()).issues())
                .extracting(TestCatalogs::where).containsExactly("3:1 ");
    }

    @Test
    void missingConfigFileIsAProblemNotAnException() {
        Path file = dir.resolve("nope.yaml");

        LoadResult result = new ConfigLoader(TestCatalogs.PLUGINS, TestCatalogs.FLOWS, name -> null).load(file);

        assertThat(result.issues()).extracting(ConfigIssue::toString)
                .containsExactly(file + ":1:1: cannot read the config file (not found)");
    }

    @Test
    void orElseThrowListsEveryIssueOnItsOwnLine() throws IOException {
        LoadResult result = TestCatalogs.load(dir, "tenant: {}\nhubb: {}\n", Map.of());

        assertThatThrownBy(result::orElseThrow).isInstanceOf(InvalidConfigException.class)
                .hasMessage("2 problems in the configuration:\n" + result.issues().get(0) + "\n" + result.issues().get(1))
                .satisfies(e -> assertThat(((InvalidConfigException) e).issues()).hasSize(2));
    }

    @Test
    void catalogsCanComeFromTheFilesOwnHubSettings() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("nightly.yaml"), """
                - routeTemplate:
                    id: nightly-report
                    parameters:
                      - name: report-connection
                    from:
                      uri: "quartz:{{sync-id}}?cron={{schedule}}"
                      steps:
                        - log: "report"
                """);
        Files.writeString(dir.resolve("hub.yaml"), """
                hub:
                  routes-dir: %s
                tenants:
                  acme:
                    connections:
                      acme-freshdesk: { plugin: freshdesk, base.url: "https://acme.freshdesk.com", api.key: k }
                    syncs:
                      - { id: acme-report, flow: nightly-report, schedule: "0 0 6 * * ?", report-connection: acme-freshdesk }
                """.formatted(routes));
        ConfigLoader loader = new ConfigLoader(hub -> TestCatalogs.PLUGINS,
                hub -> RouteTemplateCatalog.read(hub.routesDir()), name -> null);

        HubConfig config = loader.load(dir.resolve("hub.yaml")).orElseThrow();

        assertThat(config.hub().routesDir()).isEqualTo(routes);
        assertThat(config.syncs()).extracting(SyncConfig::flow).containsExactly("nightly-report");
    }

    @Test
    void routeTemplateProblemsComeAfterTheConfigFilesOwn() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), "- routeTemplate:\n    from: { uri: \"direct:x\" }\n");
        Files.writeString(dir.resolve("hub.yaml"), "hub:\n  routes-dir: " + routes + "\ntenant: {}\n");
        ConfigLoader loader = new ConfigLoader(hub -> TestCatalogs.PLUGINS,
                hub -> RouteTemplateCatalog.read(hub.routesDir()), name -> null);

        List<ConfigIssue> issues = loader.load(dir.resolve("hub.yaml")).issues();

        assertThat(issues).extracting(ConfigIssue::file).containsExactly(dir.resolve("hub.yaml"), routes.resolve("broken.yaml"));
    }

    @Test
    void referenceWithoutAResolverIsAProblemAtItsPositionWithADidYouMean() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: ${NESSUS_ACCESS_KEY}
                """, Map.of("NESSUS_ACCESS_KEY", "key-from-env"));

        assertThat(result.issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message()).containsExactly(
                "7:18 tenants.acme.connections.acme-freshdesk.api.key ${NESSUS_ACCESS_KEY} is not resolved: the hub only"
                        + " resolves ${env:NAME} and ${file:PATH} (did you mean ${env:NESSUS_ACCESS_KEY}?)");
    }

    @Test
    void everyUnresolvableReferenceInAFileIsReportedAtItsOwnColumn() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                hub:
                  store: { url: "jdbc:postgresql://${DB_HOST}:${env:DB_PORT}/${ENV:DB_NAME}", user: "${env:DB_USER" }
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: "${fil:keys/acme.key}"
                """, Map.of("DB_PORT", "5432", "DB_USER", "hub"));

        assertThat(result.issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message()).containsExactly(
                "2:36 hub.store.url ${DB_HOST} is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}"
                        + " (did you mean ${env:DB_HOST}?)",
                "2:62 hub.store.url ${ENV:DB_NAME} is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}"
                        + " (did you mean ${env:DB_NAME}?)",
                "2:86 hub.store.user '${' without a closing '}'; write ${env:NAME} or ${file:PATH}"
                        + " (a value that must hold '${' itself can come from ${env:...} or ${file:...})",
                "9:19 tenants.acme.connections.acme-freshdesk.api.key ${fil:keys/acme.key} is not resolved: the hub only"
                        + " resolves ${env:NAME} and ${file:PATH} (did you mean ${file:keys/acme.key}?)");
    }

    @Test
    void anUnresolvableReferenceThatMayHoldASecretIsNotRepeated() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                tenants:
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: https://acme.freshdesk.com
                        api.key: "${ACME_KEY:-s3cr3t-default} ${p@ss!w0rd}"
                """, Map.of());

        assertThat(result.issues()).extracting(ConfigIssue::message).containsExactly(
                "${ACME_KEY:-...} is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}"
                        + " (did you mean ${env:ACME_KEY}?); defaults are not supported",
                "this ${...} is not resolved: the hub only resolves ${env:NAME} and ${file:PATH}");
        assertThat(result.issues()).allSatisfy(i -> assertThat(i.toString()).doesNotContain("s3cr3t", "p@ss"));
    }

    @Test
    void everyTagIsReportedWhereItIsAndTheRestOfTheFileIsStillChecked() throws IOException {
        LoadResult result = TestCatalogs.load(dir, """
                tenants: !!map
                  acme:
                    connections:
                      acme-freshdesk:
                        plugin: freshdesk
                        base.url: !!java.net.URL https://acme.freshdesk.com
                        api.key: !secret k
                    synx: []
                """, Map.of());

        assertThat(result.issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message()).containsExactly(
                "1:10  YAML tags are not supported (!!map); remove it (quote a value to make it text)",
                "6:19  YAML tags are not supported (!!java.net.URL); remove it (quote a value to make it text)",
                "7:18  YAML tags are not supported (!secret); remove it (quote a value to make it text)",
                "8:5 tenants.acme.synx unknown key (did you mean 'syncs'?); expected one of: connections, syncs");
    }

    @Test
    void aPluginsFolderThatCannotBeOpenedIsAProblemOfHubPluginsDirNotAnException() throws IOException {
        Files.writeString(dir.resolve("hub.yaml"), "hub:\n  plugins-dir: /nowhere/plugins\ntenants: {}\n");
        ConfigLoader loader = new ConfigLoader(hub -> {
            throw new IllegalArgumentException("Plugins directory " + hub.pluginsDir() + " does not exist");
        }, hub -> TestCatalogs.FLOWS, name -> null);

        assertThat(loader.load(dir.resolve("hub.yaml")).issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message())
                .containsExactly("2:16 hub.plugins-dir Plugins directory /nowhere/plugins does not exist");
    }

    @Test
    void aFileThatBreaksALimitIsReportedWithoutOpeningThePluginsFolder() throws IOException {
        Files.writeString(dir.resolve("hub.yaml"), "tenants: " + "[".repeat(100) + "]".repeat(100) + "\n");
        ConfigLoader loader = new ConfigLoader(hub -> {
            throw new IllegalStateException("no plugins folder");
        }, hub -> TestCatalogs.FLOWS, name -> null);

        assertThat(loader.load(dir.resolve("hub.yaml")).issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message())
                .containsExactly("1:73  mappings and lists nested deeper than the limit of 64 levels (see 'Limits' in docs/configuration.md)");
    }
}
