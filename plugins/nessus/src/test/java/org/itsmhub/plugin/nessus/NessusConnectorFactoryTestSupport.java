package org.itsmhub.plugin.nessus;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.testkit.contract.TestConnectorContext;

/** Creates a connector for tenant acme, connection acme-nessus, against a stub. */
final class NessusConnectorFactoryTestSupport {

    private NessusConnectorFactoryTestSupport() {
    }

    static Connector create(String baseUrl, Clock clock, Map<String, String> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", baseUrl, "access.key", "ak-123",
                "secret.key", "sk-456", "export.poll.interval", "10ms"));
        raw.putAll(extra);
        NessusConnectorFactory factory = new NessusConnectorFactory();
        TestConnectorContext context = TestConnectorContext.of(factory, raw, clock);
        return factory.create(new TestConnectorContext("acme", "acme-nessus", context.config(), clock, Map.of()));
    }
}
