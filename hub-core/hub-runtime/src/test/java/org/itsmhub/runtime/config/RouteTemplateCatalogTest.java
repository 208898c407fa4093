package org.itsmhub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteTemplateCatalogTest {

    @TempDir
    Path routes;

    @Test
    void readsEveryTemplateWithItsParametersUsingCamelsRequiredRule() throws IOException {
        Files.writeString(routes.resolve("ticket-sync.yaml"), """
                - routeTemplate:
                    id: ticket-sync
                    parameters:
                      - name: left-connection
                        description: Where tickets are read from.
                      - name: batch-size
                        defaultValue: 50
                      - name: dry-run
                        required: false
                      - name: label
                        required: true
                        defaultValue: hub
                    from:
                      uri: "quartz:{{sync-id}}?cron={{schedule}}"
                      steps:
                        - log: "tick"
                - route:
                    from: { uri: "direct:helper" }
                """);
        Files.writeString(routes.resolve("assets.yml"), """
                - routeTemplate:
                    id: asset-sync
                    from: { uri: "direct:assets" }
                - routeTemplate:
                    id: finding-sync
                    parameters: []
                    from: { uri: "direct:findings" }
                """);
        Files.writeString(routes.resolve("README.md"), "not a route");

        RouteTemplateCatalog catalog = RouteTemplateCatalog.read(routes);

        assertThat(catalog.issues()).isEmpty();
        assertThat(catalog.ids()).containsExactly("asset-sync", "finding-sync", "ticket-sync");
        assertThat(catalog.find("ticket-sync").orElseThrow().parameters()).containsExactly(
                new FlowParameter("left-connection", true, null, "Where tickets are read from."),
                new FlowParameter("batch-size", false, "50", null),
                new FlowParameter("dry-run", false, null, null),
                new FlowParameter("label", false, "hub", null));
        assertThat(catalog.find("asset-sync").orElseThrow().parameters()).isEmpty();
        assertThat(catalog.file("asset-sync")).contains(routes.resolve("assets.yml"));
        assertThat(catalog.find("nope")).isEmpty();
    }

    @Test
    void templateWithoutIdAndDuplicateIdsAreReportedAtTheTemplateFilesPositions() throws IOException {
        Files.writeString(routes.resolve("a.yaml"), """
                - routeTemplate:
                    id: ticket-sync
                    from: { uri: "direct:a" }
                """);
        Files.writeString(routes.resolve("b.yaml"), """
                - route:
                    from: { uri: "direct:b" }
                - routeTemplate:
                    from: { uri: "direct:c" }
                - routeTemplate:
                    id: ticket-sync
                    parameters:
                      - description: no name
                      - name: x
                      - name: x
                        required: maybe
                    from: { uri: "direct:d" }
                """);

        RouteTemplateCatalog catalog = RouteTemplateCatalog.read(routes);

        Path a = routes.resolve("a.yaml");
        Path b = routes.resolve("b.yaml");
        assertThat(catalog.issues()).extracting(ConfigIssue::toString).containsExactly(
                b + ":3:3: [1].routeTemplate.id: a route template needs an id (the name syncs use in 'flow:')",
                b + ":6:9: [2].routeTemplate.id: route template id 'ticket-sync' is already defined at " + a + ":2:9");
        assertThat(catalog.find("ticket-sync").orElseThrow().parameters()).isEmpty();
        assertThat(catalog.file("ticket-sync")).contains(a);
    }

    @Test
    void parameterProblemsAreReported() throws IOException {
        Files.writeString(routes.resolve("a.yaml"), """
                - routeTemplate:
                    id: ticket-sync
                    parameters:
                      - description: no name
                      - name: x
                      - name: x
                      - name: y
                        required: maybe
                    from: { uri: "direct:d" }
                """);

        RouteTemplateCatalog catalog = RouteTemplateCatalog.read(routes);

        assertThat(catalog.issues()).extracting(i -> TestCatalogs.where(i) + " " + i.message()).containsExactly(
                "4:9 [0].routeTemplate.parameters[0].name a parameter needs a name",
                "6:15 [0].routeTemplate.parameters[2].name parameter 'x' is declared twice",
                "8:19 [0].routeTemplate.parameters[3].required must be true or false");
    }

    @Test
    void fileThatIsNotAListOrNotYamlIsReported() throws IOException {
        Files.writeString(routes.resolve("kamelet.yaml"), "apiVersion: camel.apache.org/v1\nkind: Kamelet\n");
        Files.writeString(routes.resolve("broken.yaml"), "- routeTemplate: { id: x\n");

        RouteTemplateCatalog catalog = RouteTemplateCatalog.read(routes);

        assertThat(catalog.issues()).extracting(TestCatalogs::where).containsExactly("2:1 ", "1:1 ");
        assertThat(catalog.issues().get(0).file()).isEqualTo(routes.resolve("broken.yaml"));
        assertThat(catalog.issues().get(0).message()).startsWith("YAML syntax error: ");
        assertThat(catalog.issues().get(1).message()).startsWith("a Camel YAML DSL file is a list of entries");
    }

    @Test
    void missingRoutesFolderIsAnIssue() {
        RouteTemplateCatalog catalog = RouteTemplateCatalog.read(routes.resolve("missing"));

        assertThat(catalog.ids()).isEmpty();
        assertThat(catalog.issues()).extracting(ConfigIssue::toString)
                .containsExactly(routes.resolve("missing") + ":1:1: routes folder not found (set hub.routes-dir)");
    }
}
