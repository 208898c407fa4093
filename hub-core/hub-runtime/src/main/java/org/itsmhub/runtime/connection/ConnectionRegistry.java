package org.itsmhub.runtime.connection;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.logging.LogRedaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of every configured connection, created on first use and closed with the hub.
 *
 * <p>Connections are addressed by tenant and connection id together; there is no way to reach a
 * connection without naming its tenant, which is what keeps tenants apart.
 */
public final class ConnectionRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final HubConfig config;
    private final Function<String, Optional<ConnectorFactory>> factories;
    private final Clock clock;
    private final HostServices hostServices;
    private final Map<String, Connector> connectors = new ConcurrentHashMap<>();

    public ConnectionRegistry(HubConfig config, Function<String, Optional<ConnectorFactory>> factories,
            Clock clock, HostServices hostServices) {
        this.config = config;
        this.factories = factories;
        this.clock = clock;
        this.hostServices = hostServices;
    }

    /**
     * The connector of {@code tenant/connectionId}.
     *
     * @throws UnknownConnectionException when the tenant has no such connection
     */
    public Connector connector(String tenant, String connectionId) {
        ConnectionConfig connection = find(tenant, connectionId)
                .orElseThrow(() -> new UnknownConnectionException(tenant, connectionId));
        return connectors.computeIfAbsent(tenant + "/" + connectionId, key -> create(connection));
    }

    /** The configuration of {@code tenant/connectionId}, if the tenant has it. */
    public Optional<ConnectionConfig> find(String tenant, String connectionId) {
        TenantConfig t = config.tenants().get(tenant);
        return t == null ? Optional.empty() : Optional.ofNullable(t.connections().get(connectionId));
    }

    private Connector create(ConnectionConfig connection) {
        ConnectorFactory factory = factories.apply(connection.plugin()).orElseThrow(() -> new IllegalStateException(
                "plugin '" + connection.plugin() + "' of connection " + connection.tenant() + "/" + connection.id()
                        + " is not loaded"));
        // the plugin's version is logged once, when it loads: the same one `plugins` and /health show
        LOG.info("Opening connection {}/{} (plugin {})", connection.tenant(), connection.id(), factory.id());
        return factory.create(new Context(connection.tenant(), connection.id(), connection.parsed()));
    }

    @Override
    public void close() {
        connectors.forEach((key, connector) -> {
            try {
                connector.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing connection {} failed: {}", key, e.toString());
            }
        });
        connectors.clear();
    }

    /** Services the host shares with plugins by type (Camel context, meter registry). */
    public interface HostServices {
        <T> Optional<T> find(Class<T> type);

        static HostServices none() {
            return new HostServices() {
                @Override
                public <T> Optional<T> find(Class<T> type) {
                    return Optional.empty();
                }
            };
        }
    }

    private final class Context implements ConnectorContext {
        private final String tenant;
        private final String connection;
        private final ConnectorConfig connectorConfig;

        Context(String tenant, String connection, ConnectorConfig connectorConfig) {
            this.tenant = tenant;
            this.connection = connection;
            this.connectorConfig = connectorConfig;
        }

        @Override public String tenant() { return tenant; }
        @Override public String connection() { return connection; }
        @Override public ConnectorConfig config() { return connectorConfig; }
        @Override public Clock clock() { return clock; }

        @Override
        public <T> Optional<T> hostService(Class<T> type) {
            return hostServices.find(type);
        }

        @Override
        public void credentialSent(String value) {
            LogRedaction.registerSent(tenant + "/" + connection, value);
        }
    }
}
