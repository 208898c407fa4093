package org.itsmhub.plugin.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.component.servicenow.ServiceNowException;
import org.apache.camel.impl.DefaultCamelContext;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.junit.jupiter.api.Test;

/** How camel-servicenow's failures become the hub's errors. */
class CamelTableApiTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger probes = new AtomicInteger();
    private Runnable probe = probes::incrementAndGet;

    private CamelTableApi api() {
        ConnectorConfig config = ConnectorConfig.of(ServiceNowConnectorConfig.CONFIG, Map.of(
                "instance.url", "https://acme.service-now.com", "auth.user", "u", "auth.password", "p"));
        return new CamelTableApi(new DefaultCamelContext(), config, new ServiceNowErrorClassifier(clock),
                RateLimitInterceptor.builder("t").clock(clock).build(), clock, () -> probe.run());
    }

    /** What camel-servicenow 4.17 throws when its error model comes back null. */
    private static NullPointerException unreadableErrorBody() {
        NullPointerException npe = new NullPointerException("Cannot invoke ServiceNowExceptionModel.getStatus()");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.camel.component.servicenow.ServiceNowClient", "invoke", "ServiceNowClient.java", 195)});
        return npe;
    }

    @Test
    void theComponentsStatusCodesAreClassifiedWithTheVendorsMessage() {
        assertThat(api().classify("create incident record", new ServiceNowException(401, "failure",
                "User Not Authenticated", "Required to provide Auth information")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("User Not Authenticated");
        assertThat(api().classify("create incident record", new ServiceNowException(400, "failure",
                "Invalid state", "Data Policy Exception"))).isInstanceOf(DataMappingException.class);
        assertThat(api().classify("create incident record", new ServiceNowException(429,
                new java.util.HashMap<Object, Object>(Map.of("error", Map.of("message", "Rate limit exceeded")))))).isInstanceOf(RetriableException.class)
                .hasMessageContaining("Rate limit exceeded");
        assertThat(probes).hasValue(0);
    }

    @Test
    void anUnreadableErrorIsDiagnosedWithOneProbe() {
        probe = () -> {
            probes.incrementAndGet();
            throw new AuthenticationException("ServiceNow check connection failed: HTTP 401");
        };
        assertThat(api().classify("update incident record", unreadableErrorBody()))
                .isInstanceOf(AuthenticationException.class);

        probe = () -> {
            throw new RetriableException("ServiceNow check connection failed: HTTP 429", java.time.Duration.ofSeconds(9), null);
        };
        assertThat(api().classify("update incident record", unreadableErrorBody()))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(9)));

        probe = probes::incrementAndGet;
        assertThat(api().classify("update incident record", unreadableErrorBody()))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("update incident record");
        assertThat(probes).hasValue(2);
    }

    @Test
    void otherNullPointersAreNotMistakenForAVendorAnswer() {
        assertThat(api().classify("create incident record", new NullPointerException("bug")))
                .isNotInstanceOf(DataMappingException.class).hasMessageContaining("NullPointerException");
        assertThat(probes).hasValue(0);
    }
}
