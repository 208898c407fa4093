package org.itsmhub.plugin.freshdesk;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The Freshdesk connector's config keys, declared once. */
public final class FreshdeskConnectorConfig {

    public static final String BASE_URL = "base.url";
    public static final String API_KEY = "api.key";
    public static final String INITIAL_SINCE = "initial.since";
    public static final String READ_OVERLAP = "read.overlap";
    public static final String PAGES_PER_WINDOW = "read.pages.per.window";
    public static final String RATE_LIMIT_PER_MINUTE = "rate.limit.per.minute";
    public static final String CORRELATION_MODE = "correlation.mode";
    public static final String CORRELATION_FIELD = "correlation.field";
    public static final String CORRELATION_SEARCH_NAME = "correlation.search.name";
    public static final String DEFAULT_REQUESTER_EMAIL = "default.requester.email";
    public static final String STATUS_MAP = "status.map";
    public static final String STATUS_WRITE_MAP = "status.write.map";
    public static final String PRIORITY_MAP = "priority.map";
    public static final String WEBHOOK_SECRET = "webhook.secret";
    public static final String WEBHOOK_HEADER = "webhook.header";
    public static final String RESOLUTION_NOTE = "resolution.note";

    public static final String NOTE_REPLY = "reply";
    public static final String NOTE_PUBLIC = "public-note";
    public static final String NOTE_PRIVATE = "private-note";
    public static final String NOTE_NONE = "none";

    public static final String MODE_FIELD = "field";
    public static final String MODE_TAG = "tag";

    /** Filter keys a sync may pass in {@code ReadRequest.filter()}. */
    public static final String FILTER_GROUP_ID = "group.id";
    public static final String FILTER_COMPANY_ID = "company.id";
    public static final String FILTER_TAG = "tag";

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(BASE_URL, ConfigType.URL,
                    "Your Freshdesk helpdesk URL, e.g. https://acme.freshdesk.com (https; plain http only for localhost).",
                    ConfigValidator.httpsOrLoopback())
            .define(API_KEY, ConfigType.SECRET,
                    "API key of the agent the hub acts as (Profile settings > View API key); sent as basic auth user with password X.",
                    ConfigValidator.notBlank())
            .defineOptional(INITIAL_SINCE, ConfigType.STRING, "30d",
                    "How far back the first read goes: a duration back from now (30d, 12h, PT15M) or an ISO-8601 instant "
                            + "(2024-01-01T00:00:00Z). Always sent as updated_since, so Freshdesk's silent 30-day default never applies.",
                    FreshdeskConnectorConfig::checkSince)
            .defineOptional(READ_OVERLAP, ConfigType.DURATION, "1s",
                    "How far each new read window reaches back before the newest updated_at already read; tickets seen "
                            + "there are de-duplicated through the cursor.")
            .defineOptional(PAGES_PER_WINDOW, ConfigType.INT, 1,
                    "Pages read with the same updated_since before the window moves to the newest updated_at seen. 1 is the "
                            + "safest (a ticket updated while paging cannot shift past a page boundary unread); at most 300.",
                    ConfigValidator.between(1, 300))
            .defineOptional(RATE_LIMIT_PER_MINUTE, ConfigType.INT, 100,
                    "Client-side budget of requests per minute for this connection (0 = none). Freshdesk's limit is per "
                            + "account and shared by every app (Growth 200/min), so the default leaves half for others.",
                    ConfigValidator.between(0, 10_000))
            .defineOptional(CORRELATION_MODE, ConfigType.STRING, MODE_FIELD,
                    "Where the hub's correlation id is stored on tickets it creates: field (the custom field named by "
                            + "correlation.field) or tag (a tag itsmhub:ID).",
                    ConfigValidator.oneOf(MODE_FIELD, MODE_TAG))
            .defineOptional(CORRELATION_FIELD, ConfigType.STRING, "cf_itsm_hub_id",
                    "Name of the single-line text custom ticket field that holds the correlation id (with its cf_ prefix); "
                            + "an admin creates it in Admin > Ticket Fields. Used when correlation.mode is field.",
                    ConfigValidator.matches("cf_[a-z0-9_]{1,60}", "a custom field name such as cf_itsm_hub_id"))
            .defineOptional(CORRELATION_SEARCH_NAME, ConfigType.STRING, null,
                    "Name of the correlation field inside Freshdesk's filter query (/api/v2/search/tickets); by default "
                            + "correlation.field without its cf_ prefix, as the filter language names custom fields.",
                    ConfigValidator.matches("[a-z0-9_]{1,64}", "a field name such as itsm_hub_id"))
            .defineOptional(DEFAULT_REQUESTER_EMAIL, ConfigType.STRING, null,
                    "Requester e-mail for tickets the hub creates when the canonical ticket has no requester e-mail "
                            + "(Freshdesk refuses a ticket without a requester).",
                    ConfigValidator.matches("[^\\s@]+@[^\\s@]+", "an e-mail address"))
            .defineOptional(STATUS_MAP, ConfigType.MAP, null,
                    "Overrides for reading: Freshdesk status code to canonical status (NEW, OPEN, IN_PROGRESS, PENDING, "
                            + "RESOLVED, CLOSED, CANCELLED), e.g. {6: PENDING} for a custom 'Waiting on customer' status.")
            .defineOptional(STATUS_WRITE_MAP, ConfigType.MAP, null,
                    "Overrides for writing: canonical status to Freshdesk status code, e.g. {IN_PROGRESS: 7}.")
            .defineOptional(PRIORITY_MAP, ConfigType.MAP, null,
                    "Overrides of the priority table: Freshdesk priority code (1 Low .. 4 Urgent) to P1..P4; used both ways "
                            + "(when two codes map to one priority, the overriding code is written).")
            .defineOptional(WEBHOOK_SECRET, ConfigType.SECRET, null,
                    "Shared secret the Freshdesk automation rule sends in the webhook.header header; webhooks are refused "
                            + "while it is not set.")
            .defineOptional(WEBHOOK_HEADER, ConfigType.STRING, "X-ITSMHub-Webhook-Secret",
                    "Name of the request header that carries webhook.secret.",
                    ConfigValidator.matches("[A-Za-z0-9-]{1,100}", "an HTTP header name"))
            .defineOptional(RESOLUTION_NOTE, ConfigType.STRING, NOTE_REPLY,
                    "How the other system's resolution note (e.g. a ServiceNow close note) is shown when a synced ticket "
                            + "is resolved or closed: reply (a public reply, e-mailed to the requester), public-note (in the "
                            + "customer portal, not e-mailed), private-note (agents only, in the hub's status note) or none.",
                    ConfigValidator.oneOf(NOTE_REPLY, NOTE_PUBLIC, NOTE_PRIVATE, NOTE_NONE)),
            Duration.ofMinutes(3),
            "longer than the rate limiter's longest wait (two minutes) plus a slow answer.");

    private FreshdeskConnectorConfig() {
    }

    /** The first read's start: {@code value} as an instant, or now minus {@code value} as a duration. */
    static Instant resolveSince(String value, Instant now) {
        String v = value.trim();
        if (!v.isEmpty() && Character.isDigit(v.charAt(0)) && v.contains("T") && !v.toLowerCase().startsWith("p")) {
            return Instant.parse(v);
        }
        Duration back = ConfigDef.parseDuration(v);
        return now.minus(back);
    }

    private static Optional<String> checkSince(Object value) {
        try {
            resolveSince(String.valueOf(value), Instant.EPOCH.plus(Duration.ofDays(365 * 100)));
            return Optional.empty();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.of("must be a duration such as 30d or an ISO-8601 instant such as 2024-01-01T00:00:00Z, was '"
                    + value + "'");
        }
    }
}
