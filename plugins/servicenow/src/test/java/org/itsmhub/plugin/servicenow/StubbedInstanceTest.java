package org.itsmhub.plugin.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.plugin.servicenow.ServiceNowStubs.USER;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.testkit.contract.LogCapture;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * A connector against a stubbed instance, as the connector and CMDB tests use it: WireMock for the
 * instance, one Camel context for camel-servicenow, a fixed clock, and after every test a check that
 * the password never reached the log.
 */
abstract class StubbedInstanceTest {

    static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    static final String PASSWORD = "pa55-word-of-the-integration-user";
    static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static final WireMockExtension SN = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static DefaultCamelContext camel;
    /** The connector of the current test, on the default config. */
    ServiceNowConnector connector;
    /** What the connector logged during the current test. */
    LogCapture logs;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @BeforeEach
    void open() {
        logs = LogCapture.open();
        connector = connect(Map.of());
    }

    @AfterEach
    void close() {
        connector.close();
        logs.close();
        assertThat(logs.text()).doesNotContain(PASSWORD);
    }

    /** A connector on the stub with these config keys on top of URL, user and password. */
    ServiceNowConnector connect(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("instance.url", SN.baseUrl(), "auth.user", USER,
                "auth.password", PASSWORD));
        raw.putAll(extra);
        return (ServiceNowConnector) new ServiceNowConnectorFactory().create(TestConnectorContext.of(
                new ServiceNowConnectorFactory(), raw, Clock.fixed(NOW, ZoneOffset.UTC))
                .withService(CamelContext.class, camel));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body);
    }
}
