package org.itsmhub.sandbox.jira;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.plugin.jira.JiraConnectorFactory;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.contract.TicketSinkContractTest;
import org.junit.jupiter.api.AfterEach;

/** The Jira connector's twin lookup against the sandbox, correlation id in a text custom field. */
class JiraTicketSinkContractTest extends TicketSinkContractTest {

    private JiraSandbox sandbox;
    private Connector connector;

    /** Connection settings beyond the base ones. */
    Map<String, Object> mode() {
        return Map.of("correlation.field", "customfield_10050");
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
        sandbox = new JiraSandbox(SandboxOptions.defaults(), Clock.systemUTC());
        sandbox.start();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("base.url", sandbox.baseUrl());
        raw.put("auth.email", JiraSandbox.EMAIL);
        raw.put("auth.api.token", JiraSandbox.API_TOKEN);
        raw.put("project", "SD");
        raw.put("service.desk.id", JiraSandbox.SERVICE_DESK_ID);
        raw.put("request.type.id", "25");
        raw.putAll(mode());
        JiraConnectorFactory factory = new JiraConnectorFactory();
        connector = factory.create(TestConnectorContext.of(factory, raw, Clock.systemUTC()));
        return connector.capability(TicketSink.class).orElseThrow();
    }

    @Override
    protected int vendorRequests() {
        return sandbox.wiremock().getAllServeEvents().size();
    }
}
