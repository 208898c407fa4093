package org.itsmhub.testkit.contract;

import java.time.Clock;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;

/**
 * A {@link ConnectorContext} for plugin tests: a tenant, a connection id, a config parsed through
 * the connector's own definition (invalid raw values fail the test at once), and a clock.
 */
public record TestConnectorContext(String tenant, String connection, ConnectorConfig config, Clock clock)
        implements ConnectorContext {

    /** Parses {@code raw} with the factory's definition and cross-key rules. */
    public static TestConnectorContext of(ConnectorFactory factory, Map<String, ?> raw, Clock clock) {
        ConfigDef.Parsed parsed = factory.configDef().parse(raw);
        var problems = new java.util.ArrayList<>(parsed.problems());
        if (problems.isEmpty()) {
            problems.addAll(factory.validate(parsed.config()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("test config for " + factory.id() + " is invalid: " + problems);
        }
        return new TestConnectorContext("contract", "contract-" + factory.id(), parsed.config(), clock);
    }
}
