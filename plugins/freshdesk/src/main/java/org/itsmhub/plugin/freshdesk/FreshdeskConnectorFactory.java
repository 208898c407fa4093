package org.itsmhub.plugin.freshdesk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.plugin.support.http.AuthInterceptors;
import org.itsmhub.plugin.support.http.HttpErrorClassifier;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Extension;

import static org.itsmhub.plugin.freshdesk.FreshdeskConnectorConfig.*;

/** Creates Freshdesk connectors; found by PF4J. */
@Extension
public class FreshdeskConnectorFactory implements ConnectorFactory {

    static final String VENDOR = "freshdesk";
    /** Longer than the rate limiter's longest wait (two minutes) plus a slow answer. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);

    @Override
    public String id() {
        return VENDOR;
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "Freshdesk (API v2): tickets read and written, replies and private notes, automation webhooks.";
    }

    @Override
    public ConfigDef configDef() {
        return CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return FreshdeskConnector.class;
    }

    @Override
    public List<ConfigProblem> validate(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>(FreshdeskTicketMapper.checkOverrides(
                config.getMap(STATUS_MAP), config.getMap(STATUS_WRITE_MAP), config.getMap(PRIORITY_MAP)));
        String path = config.getUrl(BASE_URL).getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            problems.add(new ConfigProblem(BASE_URL, "must be the helpdesk root such as https://acme.freshdesk.com, "
                    + "without a path (the connector adds /api/v2/...), was '" + config.getUrl(BASE_URL) + "'"));
        }
        return problems;
    }

    @Override
    public Connector create(ConnectorContext context) {
        ConnectorConfig config = context.config();
        Clock clock = context.clock();
        RateLimitInterceptor rateLimit = RateLimitInterceptor.builder("freshdesk-" + context.tenant() + "-"
                        + context.connection())
                .budget(config.getInt(RATE_LIMIT_PER_MINUTE), Duration.ofMinutes(1))
                .remainingHeader("X-RateLimit-Remaining")
                .resetParser(headers -> resetAfter(headers, clock))
                .clock(clock)
                .build();
        OkHttpClient http = VendorHttpClients.forConnection(VENDOR,
                AuthInterceptors.basic(config.getSecret(API_KEY).reveal(), org.itsmhub.api.config.Secret.of("X")),
                rateLimit, CALL_TIMEOUT);
        String baseUrl = config.getUrl(BASE_URL).toString();
        HttpUrl base = HttpUrl.get(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        FreshdeskClient client = new FreshdeskClient(new HttpExecutor(http, new FreshdeskErrorClassifier(clock)), base);
        FreshdeskTicketMapper mapper = new FreshdeskTicketMapper(context.connection(), base.toString(),
                config.getString(CORRELATION_MODE), config.getString(CORRELATION_FIELD),
                config.findString(DEFAULT_REQUESTER_EMAIL).orElse(null), config.getMap(STATUS_MAP),
                config.getMap(STATUS_WRITE_MAP), config.getMap(PRIORITY_MAP));
        return new FreshdeskConnector(client, mapper, config, clock);
    }

    /**
     * {@code Retry-After} when Freshdesk sends it (with a 429); after a 2xx whose
     * {@code X-RateLimit-Remaining} is 0, until the next full minute (Freshdesk's limits are per minute
     * and it sends no reset time on successful answers).
     */
    static Optional<Duration> resetAfter(Headers headers, Clock clock) {
        Optional<Duration> retryAfter = HttpErrorClassifier.parseRetryAfter(headers.get("Retry-After"), clock);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        String remaining = headers.get("X-RateLimit-Remaining");
        if (remaining != null && remaining.trim().equals("0")) {
            Instant now = clock.instant();
            Instant nextMinute = ZonedDateTime.ofInstant(now, java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                    .plusMinutes(1).toInstant();
            return Optional.of(Duration.between(now, nextMinute));
        }
        return Optional.empty();
    }
}
