package org.itsmhub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.itsmhub.runtime.config.ConfigLoader;
import org.itsmhub.runtime.config.LoadResult;
import org.itsmhub.runtime.config.PluginCatalog;
import org.itsmhub.runtime.config.RouteTemplateCatalog;
import org.itsmhub.runtime.plugin.PluginHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped config ({@code config/*.yaml}, {@code config/examples/*.yaml}) passes the hub's real
 * validator with the real plugin zips and route templates, as {@code itsm-hub validate} checks it.
 * {@code ${env:...}} references resolve to a placeholder value, as an admin's environment would.
 */
class ConfigFilesValidateTest {

    private static final Path CONFIG = Path.of("../config");
    private static PluginHost plugins;
    private static ConfigLoader loader;

    @BeforeAll
    static void loadPlugins() {
        plugins = PluginHost.load(Path.of("target/plugins"));
        loader = new ConfigLoader(PluginCatalog.of(plugins.factories()), RouteTemplateCatalog.read(Path.of("../routes")),
                ConfigFilesValidateTest::environment);
    }

    /** What an admin's environment (or the demo, for its ITSMHUB_DEMO_* references) would set. */
    static String environment(String name) {
        if (name.equals("ITSMHUB_DEMO_HTTP_PORT")) {
            return "8080";
        }
        return name.endsWith("_URL") ? "http://127.0.0.1:9" : "value-of-" + name;
    }

    @AfterAll
    static void closePlugins() {
        plugins.close();
    }

    static List<Path> configFiles() throws IOException {
        try (Stream<Path> top = Files.list(CONFIG); Stream<Path> examples = Files.list(CONFIG.resolve("examples"))) {
            return Stream.concat(top, examples).filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("configFiles")
    void shippedConfigFileIsValid(Path file) {
        LoadResult result = loader.load(file);

        assertThat(result.issues()).as(file.toString()).isEmpty();
        assertThat(result.isValid()).isTrue();
    }

    @Test
    void thereIsAnExampleForEveryConnectorPlugin() throws IOException {
        List<String> examples = configFiles().stream().filter(p -> p.getParent().endsWith("examples"))
                .map(p -> p.getFileName().toString().replace(".yaml", "")).toList();

        assertThat(plugins.factories()).isNotEmpty();
        assertThat(examples).containsAll(PluginCatalog.of(plugins.factories()).ids());
    }

    @Test
    void theDemoConfigRunsEveryFlowForBothTenants() {
        LoadResult result = loader.load(CONFIG.resolve("demo.yaml"));

        assertThat(result.config().tenants()).containsOnlyKeys("contoso", "fabrikam");
        assertThat(result.config().syncs()).extracting(s -> s.tenant() + "/" + s.flow()).contains(
                "contoso/ticket-sync", "contoso/findings-to-tickets", "contoso/assets-to-cmdb",
                "fabrikam/ticket-sync", "fabrikam/findings-to-tickets", "fabrikam/assets-to-cmdb");
    }
}
