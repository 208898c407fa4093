package org.itsmhub.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Capability;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.WebhookParser;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.testkit.plugin.PluginZipBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    @TempDir
    Path plugins;

    private PluginHost host;

    @AfterEach
    void closeHost() {
        if (host != null) {
            host.close();
        }
        System.clearProperty(TestPlugins.ALPHA_STOPPED_PROPERTY);
    }

    @Test
    void loadsEveryPluginAndListsItsConnectorIdVersionAndCapabilities() {
        TestPlugins.alphaAndBeta(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).isEmpty();
        assertThat(host.plugins()).extracting(PluginInfo::connectorId, PluginInfo::pluginId, PluginInfo::version,
                        PluginInfo::capabilities)
                .containsExactly(
                        tuple("alpha", "alpha", "1.2.0",
                                Set.of(Capability.TICKET_SINK, Capability.WEBHOOK)),
                        tuple("beta", "beta", "0.3.0", Set.of(Capability.ASSET_SOURCE)));
        PluginInfo alpha = host.plugins().iterator().next();
        assertThat(alpha.description()).isEqualTo("Alpha test tickets");
        assertThat(alpha.path()).isEqualTo(plugins.toAbsolutePath().resolve("alpha-1.2.0.zip"));
        assertThat(host.factory("alpha")).get().extracting(ConnectorFactory::id).isEqualTo("alpha");
        assertThat(host.factory("gamma")).isEmpty();
        assertThat(host.factories()).extracting(ConnectorFactory::id).containsExactly("alpha", "beta");
    }

    @Test
    void pluginClassesLiveOnlyInThePluginNotOnTheHostsClassPath() {
        TestPlugins.alphaAndBeta(plugins);
        host = PluginHost.load(plugins);

        assertThatThrownBy(() -> Class.forName("test.alpha.AlphaConnector"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(loaderOf("alpha").getResource("test/alpha/AlphaConnector.class")).isNotNull();
    }

    @Test
    void aPluginCannotSeeAnotherPluginsClasses() throws ClassNotFoundException {
        TestPlugins.alphaAndBeta(plugins);
        host = PluginHost.load(plugins);
        ClassLoader alpha = loaderOf("alpha");
        ClassLoader beta = loaderOf("beta");

        assertThat(alpha.loadClass("test.alpha.AlphaConnector").getClassLoader()).isSameAs(alpha);
        assertThatThrownBy(() -> beta.loadClass("test.alpha.AlphaConnector"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> alpha.loadClass("test.beta.BetaConnector"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(alpha.loadClass(Connector.class.getName())).isSameAs(Connector.class);
        assertThat(beta.loadClass(Connector.class.getName())).isSameAs(Connector.class);
    }

    @Test
    void connectorMethodsRunWithThePluginsClassLoaderAsContextClassLoader() {
        TestPlugins.alpha().buildInto(plugins);
        host = PluginHost.load(plugins);

        Connector connector = host.factory("alpha").orElseThrow().create(TestPlugins.context());

        assertThat(connector.checkConnection()).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("own"));
        WebhookParser webhooks = connector.capability(WebhookParser.class).orElseThrow();
        assertThat(webhooks.parse(new WebhookRequest("POST", Map.of(), Map.of(), new byte[0])))
                .extracting(ChangeHint::event).containsExactly("own");
    }

    @Test
    void factoriesConnectorsAndTheirCapabilitiesAreHandedOutWrapped() {
        TestPlugins.alpha().buildInto(plugins);
        host = PluginHost.load(plugins);

        ConnectorFactory factory = host.factory("alpha").orElseThrow();
        Connector connector = factory.create(TestPlugins.context());

        assertThat(PluginBoundary.isWrapped(factory)).isTrue();
        assertThat(PluginBoundary.isWrapped(connector)).isTrue();
        assertThat(connector).isInstanceOf(TicketSink.class).isInstanceOf(WebhookParser.class)
                .isNotInstanceOf(AssetSource.class);
        assertThat(connector.capability(TicketSink.class)).get().isSameAs(connector);
        assertThat(connector.capability(AssetSource.class)).isEmpty();
        assertThat(connector).hasToString("AlphaConnector");
        assertThat(PluginBoundary.pluginClassLoader(connector)).contains(loaderOf("alpha"));
    }

    @Test
    void aRetriableExceptionWithItsRetryAfterReachesTheHubUnchanged() {
        TestPlugins.alpha().buildInto(plugins);
        host = PluginHost.load(plugins);
        TicketSink sink = host.factory("alpha").orElseThrow().create(TestPlugins.context())
                .capability(TicketSink.class).orElseThrow();

        Throwable thrown = catchThrowable(() -> sink.changeStatus("T-1", TicketStatus.RESOLVED, null));

        assertThat(thrown).isExactlyInstanceOf(RetriableException.class).hasMessage("alpha is rate limiting");
        assertThat(((RetriableException) thrown).retryAfter()).contains(Duration.ofSeconds(30));
        assertThatThrownBy(() -> sink.update("T-1", null, Set.of()))
                .isExactlyInstanceOf(AuthenticationException.class)
                .hasMessage("alpha refused the API key");
    }

    @Test
    void theCallersContextClassLoaderIsRestoredEvenWhenThePluginThrows() throws IOException {
        TestPlugins.alpha().buildInto(plugins);
        host = PluginHost.load(plugins);
        TicketSink sink = (TicketSink) host.factory("alpha").orElseThrow().create(TestPlugins.context());
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader callers = new URLClassLoader(new URL[0])) {
            Thread.currentThread().setContextClassLoader(callers);

            catchThrowable(() -> sink.changeStatus("T-1", TicketStatus.RESOLVED, null));

            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    @Test
    void pluginStartAndStopRunWithThePluginsClassLoaderAsContextClassLoader() {
        TestPlugins.alpha().buildInto(plugins); // its start() throws with any other TCCL
        host = PluginHost.load(plugins);
        assertThat(host.problems()).isEmpty();

        host.close();

        assertThat(System.getProperty(TestPlugins.ALPHA_STOPPED_PROPERTY)).isEqualTo("own");
    }

    @Test
    void aPluginWhosePluginClassIsMissingIsReportedAndSkippedWhileTheOthersLoad() {
        TestPlugins.alpha().buildInto(plugins);
        TestPlugins.minimal("classless", "classless", "").pluginClass("test.classless.NoSuchPlugin").buildInto(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).singleElement().satisfies(p -> {
            assertThat(p.plugin()).isEqualTo("classless");
            assertThat(p.message()).contains("test.classless.NoSuchPlugin").contains("cannot be loaded");
        });
        assertThat(host.plugins()).extracting(PluginInfo::connectorId).containsExactly("alpha");
        assertThat(host.factory("classless")).isEmpty();
    }

    @Test
    void aPluginWhoseStartThrowsIsReportedAndSkippedWhileTheOthersLoad() {
        TestPlugins.alpha().buildInto(plugins);
        TestPlugins.minimal("grumpy", "grumpy", "throw new IllegalStateException(\"no licence file\");")
                .buildInto(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).singleElement().satisfies(p -> {
            assertThat(p.plugin()).isEqualTo("grumpy");
            assertThat(p.message()).contains("failed to start").contains("no licence file");
        });
        assertThat(host.plugins()).extracting(PluginInfo::connectorId).containsExactly("alpha");
    }

    @Test
    void aPluginThatRequiresANewerHubIsReportedAndSkipped() {
        TestPlugins.alpha().buildInto(plugins);
        TestPlugins.minimal("future", "future", "").requires(">=99.0.0").buildInto(plugins);

        host = PluginHost.load(plugins, "0.1.0");

        assertThat(host.problems()).singleElement().satisfies(p -> {
            assertThat(p.plugin()).isEqualTo("future");
            assertThat(p.message()).isEqualTo("requires hub version >=99.0.0, this hub is 0.1.0");
        });
        assertThat(host.plugins()).extracting(PluginInfo::connectorId).containsExactly("alpha");
    }

    @Test
    void aSnapshotHubMeetsTheRequirementOfTheReleaseItWillBecome() {
        TestPlugins.alpha().requires(">=0.1.0").buildInto(plugins);

        host = PluginHost.load(plugins, "0.1.0-SNAPSHOT");

        assertThat(host.problems()).isEmpty();
        assertThat(host.hubVersion()).isEqualTo("0.1.0");
        assertThat(host.factory("alpha")).isPresent();
    }

    @Test
    void aPluginWithoutAnIdIsReportedByItsFileName() {
        TestPlugins.alpha().buildInto(plugins);
        TestPlugins.minimal("nameless", "nameless", "").property("plugin.id", null).buildInto(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).singleElement().satisfies(p -> {
            assertThat(p.plugin()).isEqualTo("nameless-1.0.0.zip");
            assertThat(p.message()).startsWith("cannot be loaded");
        });
        assertThat(host.plugins()).extracting(PluginInfo::connectorId).containsExactly("alpha");
    }

    @Test
    void aPluginWithoutAConnectorExtensionIsReported() {
        TestPlugins.alpha().buildInto(plugins);
        PluginZipBuilder.plugin("empty")
                .source("test.empty.Nothing", "package test.empty; public class Nothing {}")
                .buildInto(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).singleElement().satisfies(p -> {
            assertThat(p.plugin()).isEqualTo("empty");
            assertThat(p.message()).contains("provides no ConnectorFactory extension");
        });
        assertThat(host.plugins()).extracting(PluginInfo::pluginId).containsExactly("alpha");
    }

    @Test
    void aFileThatIsNotAZipIsReported() throws IOException {
        TestPlugins.alpha().buildInto(plugins);
        Files.writeString(plugins.resolve("garbage.zip"), "this is not a zip");

        host = PluginHost.load(plugins);

        assertThat(host.problems()).containsExactly(
                new PluginProblem("garbage.zip", "cannot be expanded; is it a valid zip?"));
        assertThat(host.plugins()).extracting(PluginInfo::pluginId).containsExactly("alpha");
    }

    @Test
    void aSecondPluginWithTheSameConnectorIdIsReportedAndSkipped() {
        TestPlugins.alpha().buildInto(plugins);
        TestPlugins.minimal("alpha-copy", "alpha", "").buildInto(plugins);

        host = PluginHost.load(plugins);

        assertThat(host.problems()).containsExactly(new PluginProblem("alpha-copy",
                "connector id 'alpha' is already provided by plugin alpha"));
        assertThat(host.plugins()).extracting(PluginInfo::pluginId).containsExactly("alpha");
        assertThat(host.factory("alpha").orElseThrow().description()).isEqualTo("Alpha test tickets");
    }

    @Test
    void closeUnloadsEveryPluginAndClosesTheirClassLoaders() throws IOException {
        TestPlugins.alphaAndBeta(plugins);
        host = PluginHost.load(plugins);
        ClassLoader alpha = loaderOf("alpha");

        host.close();
        host.close(); // twice is fine

        assertThat(host.plugins()).isEmpty();
        assertThat(host.factories()).isEmpty();
        assertThat(host.factory("alpha")).isEmpty();
        assertThat(alpha.getResource("test/alpha/AlphaConnector.class")).as("closed class loader").isNull();
        deleteTree(plugins);
        assertThat(plugins).doesNotExist();
    }

    @Test
    void anEmptyPluginsDirectoryLoadsNothing() {
        host = PluginHost.load(plugins);

        assertThat(host.plugins()).isEmpty();
        assertThat(host.problems()).isEmpty();
    }

    @Test
    void aMissingPluginsDirectoryFailsWithAClearMessage() {
        Path missing = plugins.resolve("nope");

        assertThatThrownBy(() -> PluginHost.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("hub.plugins-dir");
    }

    @Test
    void aPluginsDirectoryThatIsNotWritableFailsWithAClearMessage() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root may write anywhere").isNotEqualTo("root");
        Path readOnly = Files.createDirectory(plugins.resolve("read-only"));
        assumeThat(readOnly.toFile().setWritable(false, false)).isTrue();
        try {
            assertThatThrownBy(() -> PluginHost.load(readOnly))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not writable");
        } finally {
            readOnly.toFile().setWritable(true, true);
        }
    }

    private ClassLoader loaderOf(String connectorId) {
        return PluginBoundary.pluginClassLoader(host.factory(connectorId).orElseThrow()).orElseThrow();
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }
}
