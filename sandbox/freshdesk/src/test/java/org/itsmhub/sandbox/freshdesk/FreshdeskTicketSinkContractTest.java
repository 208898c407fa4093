package org.itsmhub.sandbox.freshdesk;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.plugin.freshdesk.FreshdeskConnectorFactory;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.TicketSinkContractTest;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;

/** The Freshdesk connector's twin lookup against the sandbox, correlation id in the custom field. */
class FreshdeskTicketSinkContractTest extends TicketSinkContractTest {

    private static final String KEY = "sandbox-key-1";

    private final TestClock clock = new TestClock(Instant.parse("2024-03-10T12:00:00Z"));
    private FreshdeskSandbox sandbox;
    private Connector connector;

    /** Connection settings beyond the base URL and key. */
    Map<String, Object> mode() {
        return Map.of();
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected TicketSink sink() {
        sandbox = new FreshdeskSandbox(SandboxOptions.defaults(), clock, KEY);
        sandbox.start();
        FreshdeskConnectorFactory factory = new FreshdeskConnectorFactory();
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", sandbox.baseUrl(), "api.key", KEY));
        raw.putAll(mode());
        connector = factory.create(TestConnectorContext.of(factory, raw, clock));
        return connector.capability(TicketSink.class).orElseThrow();
    }

    @Override
    protected int vendorRequests() {
        return sandbox.wiremock().getAllServeEvents().size();
    }
}
