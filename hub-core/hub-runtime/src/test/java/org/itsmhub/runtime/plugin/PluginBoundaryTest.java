package org.itsmhub.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The boundary on its own. The "plugin" objects here are test classes, so the "plugin class loader"
 * is the test's own loader, and the caller runs with a different, empty loader as TCCL.
 */
class PluginBoundaryTest {

    private final ClassLoader pluginLoader = PluginBoundaryTest.class.getClassLoader();
    private ClassLoader original;
    private URLClassLoader callers;

    @BeforeEach
    void runAsAnotherLoader() {
        original = Thread.currentThread().getContextClassLoader();
        callers = new URLClassLoader(new URL[0], null);
        Thread.currentThread().setContextClassLoader(callers);
    }

    @AfterEach
    void restore() throws IOException {
        Thread.currentThread().setContextClassLoader(original);
        callers.close();
    }

    @Test
    void everyCallRunsWithThePluginsClassLoaderAsContextClassLoader() {
        Connector connector = PluginBoundary.wrap(Connector.class, new FakeConnector(), pluginLoader);

        assertThat(connector.checkConnection()).extracting(ConfigProblem::message).containsExactly("own");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
    }

    @Test
    void theProxyImplementsTheHubApiInterfacesOfTheTargetAndNoOthers() {
        Connector connector = PluginBoundary.wrap(Connector.class, new FakeConnector(), pluginLoader);

        assertThat(connector).isInstanceOf(TicketSource.class).isInstanceOf(AutoCloseable.class)
                .isNotInstanceOf(AssetSink.class).isNotInstanceOf(Runnable.class).isNotInstanceOf(FakeConnector.class);
    }

    @Test
    void aCapabilityOfAWrappedConnectorIsTheProxyItself() {
        Connector connector = PluginBoundary.wrap(Connector.class, new FakeConnector(), pluginLoader);

        TicketSource source = connector.capability(TicketSource.class).orElseThrow();

        assertThat(source).isSameAs(connector);
        assertThat(source.comments("T-1")).extracting(Comment::body).containsExactly("own");
        assertThat(connector.capability(AssetSink.class)).isEmpty();
    }

    @Test
    void aPluginObjectReturnedByACallIsWrappedToo() {
        ConnectorFactory factory = PluginBoundary.wrap(ConnectorFactory.class, new FakeFactory(), pluginLoader);

        Connector connector = factory.create(TestPlugins.context());

        assertThat(PluginBoundary.isWrapped(connector)).isTrue();
        assertThat(connector).isInstanceOf(TicketSource.class);
        assertThat(connector.checkConnection()).extracting(ConfigProblem::message).containsExactly("own");
        assertThat(factory.connectorType()).isSameAs(FakeConnector.class);
    }

    @Test
    void exceptionsFromThePluginArriveUnchanged() {
        FakeConnector target = new FakeConnector();
        TicketSource source = PluginBoundary.wrap(TicketSource.class, target, pluginLoader);

        Throwable thrown = catchThrowable(() -> source.fetch("T-1"));

        assertThat(thrown).isSameAs(target.failure);
        assertThat(((RetriableException) thrown).retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
    }

    @Test
    void equalsAndHashCodeGoByTheWrappedObjectAndToStringIsThePluginsOwn() {
        FakeConnector target = new FakeConnector();
        Connector one = PluginBoundary.wrap(Connector.class, target, pluginLoader);
        Connector two = PluginBoundary.wrap(Connector.class, target, pluginLoader);
        Connector other = PluginBoundary.wrap(Connector.class, new FakeConnector(), pluginLoader);

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two).isNotEqualTo(other).isNotEqualTo(target);
        assertThat(one).hasToString("FakeConnector(own)");
    }

    @Test
    void wrappingAWrappedObjectReturnsItAsIs() {
        Connector wrapped = PluginBoundary.wrap(Connector.class, new FakeConnector(), pluginLoader);

        assertThat(PluginBoundary.wrap(Connector.class, wrapped, pluginLoader)).isSameAs(wrapped);
        assertThat(PluginBoundary.pluginClassLoader(wrapped)).contains(pluginLoader);
        assertThat(PluginBoundary.pluginClassLoader(new FakeConnector())).isEmpty();
    }

    @Test
    void aTypeTheTargetDoesNotImplementIsRejected() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Object> assetSink = (Class) AssetSink.class;

        assertThatThrownBy(() -> PluginBoundary.wrap(assetSink, new FakeConnector(), pluginLoader))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callRestoresTheContextClassLoaderWhenTheActionThrows() {
        Throwable thrown = catchThrowable(() -> PluginBoundary.run(pluginLoader, () -> {
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(pluginLoader);
            throw new IllegalStateException("boom");
        }));

        assertThat(thrown).hasMessage("boom");
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
    }

    private static String tccl() {
        return Thread.currentThread().getContextClassLoader() == PluginBoundaryTest.class.getClassLoader()
                ? "own" : "other";
    }

    static final class FakeConnector implements Connector, TicketSource, Runnable {

        final RetriableException failure = new RetriableException("slow down", Duration.ofSeconds(5), null);

        @Override
        public List<ConfigProblem> checkConnection() {
            return List.of(new ConfigProblem("tccl", tccl()));
        }

        @Override
        public void close() {
        }

        @Override
        public Page<Ticket> readChanges(ReadRequest request) {
            return Page.last(List.of(), Cursor.of("x"));
        }

        @Override
        public Optional<Ticket> fetch(String id) {
            throw failure;
        }

        @Override
        public List<Comment> comments(String ticketId) {
            return List.of(new Comment(null, null, tccl(), Instant.EPOCH, Visibility.PUBLIC));
        }

        @Override
        public void run() {
        }

        @Override
        public String toString() {
            return "FakeConnector(" + tccl() + ")";
        }
    }

    static final class FakeFactory implements ConnectorFactory {
        @Override
        public String id() {
            return "fake";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public String description() {
            return "fake";
        }

        @Override
        public ConfigDef configDef() {
            return new ConfigDef();
        }

        @Override
        public Class<? extends Connector> connectorType() {
            return FakeConnector.class;
        }

        @Override
        public Connector create(ConnectorContext context) {
            return new FakeConnector();
        }
    }
}
