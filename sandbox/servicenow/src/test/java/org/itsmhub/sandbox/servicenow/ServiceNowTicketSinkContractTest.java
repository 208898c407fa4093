package org.itsmhub.sandbox.servicenow;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.plugin.servicenow.ServiceNowConnectorFactory;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.TicketSinkContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The ServiceNow connector's twin lookup against the sandbox, which keeps what is created. */
class ServiceNowTicketSinkContractTest extends TicketSinkContractTest {

    private static DefaultCamelContext camel;
    private ServiceNowSandbox sandbox;
    private Connector connector;

    /** One second later on every look: each create gets a later sys_created_on, as on a real instance. */
    private final Clock ticking = new Clock() {
        private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond() - 3600);

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.incrementAndGet());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected TicketSink sink() {
        sandbox = new ServiceNowSandbox(SandboxOptions.defaults(), ticking, ServiceNowSandbox.DEFAULT_USER,
                ServiceNowSandbox.DEFAULT_PASSWORD);
        sandbox.start();
        ServiceNowConnectorFactory f = new ServiceNowConnectorFactory();
        connector = f.create(TestConnectorContext.of(f, Map.of("instance.url", sandbox.baseUrl(),
                "auth.user", ServiceNowSandbox.DEFAULT_USER, "auth.password", ServiceNowSandbox.DEFAULT_PASSWORD),
                Clock.systemUTC()).withService(CamelContext.class, camel));
        return connector.capability(TicketSink.class).orElseThrow();
    }

    @Override
    protected int vendorRequests() {
        return sandbox.wiremock().getAllServeEvents().size();
    }
}
