package org.itsmhub.testkit.contract;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;

/**
 * A {@link ConnectorContext} for plugin tests: a tenant, a connection id, a config parsed through
 * the connector's own definition (invalid raw values fail the test at once), a clock, and the host
 * services a test offers (e.g. a Camel context for a connector built on a Camel component), and
 * every credential the connector reported as sent ({@link #credentialsSent()}), so a test can check
 * that what a vendor echoes is exactly what the host was told to mask.
 */
public record TestConnectorContext(String tenant, String connection, ConnectorConfig config, Clock clock,
        Map<Class<?>, Object> services, List<String> credentialsSent) implements ConnectorContext {

    public TestConnectorContext {
        services = Map.copyOf(services);
    }

    public TestConnectorContext(String tenant, String connection, ConnectorConfig config, Clock clock,
            Map<Class<?>, Object> services) {
        this(tenant, connection, config, clock, services, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    @Override
    public void credentialSent(String value) {
        if (!credentialsSent.contains(value)) {
            credentialsSent.add(value);
        }
    }

    /** Parses {@code raw} with the factory's definition and cross-key rules. */
    public static TestConnectorContext of(ConnectorFactory factory, Map<String, ?> raw, Clock clock) {
        ConfigDef.Parsed parsed = factory.configDef().parse(raw);
        List<ConfigProblem> problems = new ArrayList<>(parsed.problems());
        if (problems.isEmpty()) {
            problems.addAll(factory.validate(parsed.config()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("test config for " + factory.id() + " is invalid: " + problems);
        }
        return new TestConnectorContext("contract", "contract-" + factory.id(), parsed.config(), clock, Map.of());
    }

    /** The same context offering one more host service. */
    public <T> TestConnectorContext withService(Class<T> type, T service) {
        Map<Class<?>, Object> more = new java.util.HashMap<>(services);
        more.put(type, service);
        return new TestConnectorContext(tenant, connection, config, clock, more, credentialsSent);
    }

    @Override
    public <T> Optional<T> hostService(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }
}
