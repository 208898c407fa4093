package org.itsmhub.plugin.freshdesk;

import java.time.Clock;
import java.time.Duration;
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
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Extension;

import static org.itsmhub.plugin.freshdesk.FreshdeskConnectorConfig.*;

/** Creates Freshdesk connectors; found by PF4J. */
@Extension
public class FreshdeskConnectorFactory implements ConnectorFactory {

    static final String VENDOR = "freshdesk";

    @Override
    public String id() {
        return VENDOR;
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
        // The budget is a sliding minute (FreshdeskRateBudget), not the shared fixed-period one;
        // this interceptor handles Freshdesk's own signals: a 429's Retry-After.
        RateLimitInterceptor rateLimit = RateLimitInterceptor.builder("freshdesk-" + context.tenant() + "-"
                        + context.connection())
                .remainingHeader("X-RateLimit-Remaining")
                .resetParser(headers -> resetAfter(headers, clock))
                .clock(clock)
                .build();
        OkHttpClient http = VendorHttpClients.forConnection(VENDOR,
                AuthInterceptors.basic(context, config.getSecret(API_KEY).reveal(), org.itsmhub.api.config.Secret.of("X")),
                rateLimit, HttpTimeouts.of(config));
        int perMinute = config.getInt(RATE_LIMIT_PER_MINUTE);
        if (perMinute > 0) {
            OkHttpClient.Builder b = http.newBuilder();
            b.interceptors().add(0, new FreshdeskRateBudget(perMinute, clock)); // wait before anything else
            http = b.build();
        }
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
     * {@code Retry-After} when Freshdesk sends it (with a 429). A 2xx whose
     * {@code X-RateLimit-Remaining} is 0 carries no reset time, and guessing one (the next full
     * minute) lost up to a minute whenever the account's minute is a sliding one: the
     * connection's own budget paces the next request instead, and should other apps have used
     * the account's budget up, the 429 that follows says exactly how long to wait.
     */
    static Optional<Duration> resetAfter(Headers headers, Clock clock) {
        return HttpErrorClassifier.parseRetryAfter(headers.get("Retry-After"), clock);
    }
}
