package org.itsmhub.plugin.jira;

import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The Jira connector's config keys, declared once. */
public final class JiraConnectorConfig {

    public static final String BASE_URL = "base.url";
    public static final String AUTH_EMAIL = "auth.email";
    public static final String AUTH_API_TOKEN = "auth.api.token";
    public static final String AUTH_BEARER_TOKEN = "auth.bearer.token";
    public static final String PROJECT = "project";
    public static final String SERVICE_DESK_ID = "service.desk.id";
    public static final String REQUEST_TYPE_ID = "request.type.id";
    public static final String REQUEST_TYPE_FIELD = "request.type.field";
    public static final String CORRELATION_MODE = "correlation.mode";
    public static final String CORRELATION_FIELD = "correlation.field";
    public static final String JQL = "jql";
    public static final String JQL_TIMEZONE = "jql.timezone";
    public static final String READ_LOOKBACK = "read.lookback";
    public static final String READ_INITIAL_WINDOW = "read.initial.window";
    public static final String STATUS_MAP = "status.map";
    public static final String PRIORITY_MAP = "priority.map";
    public static final String PRIORITY_WRITE_MAP = "priority.write.map";
    public static final String RESOLUTION_DEFAULT = "resolution.default";
    public static final String RESOLUTION_NOTE = "resolution.note";
    public static final String NOTE_PUBLIC = "public-comment";
    public static final String NOTE_INTERNAL = "internal-comment";
    public static final String NOTE_NONE = "none";
    public static final String WEBHOOK_SECRET = "webhook.secret";

    private static final String DIGITS = "[0-9]+";

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(BASE_URL, ConfigType.URL, "Your Jira Cloud site, e.g. https://acme.atlassian.net.",
                    ConfigValidator.httpsOrLoopback())
            .defineOptional(AUTH_EMAIL, ConfigType.STRING, null,
                    "E-mail address of the Atlassian account the hub acts as (basic auth, together with auth.api.token).")
            .defineOptional(AUTH_API_TOKEN, ConfigType.SECRET, null,
                    "API token of that account (id.atlassian.com > Security > API tokens).")
            .defineOptional(AUTH_BEARER_TOKEN, ConfigType.SECRET, null,
                    "A bearer token (OAuth 2.0 access token) instead of e-mail + API token. Set exactly one of the two.")
            .define(PROJECT, ConfigType.STRING, "Key of the Jira Service Management project read from, e.g. ITSD.",
                    ConfigValidator.matches("[A-Z][A-Z0-9_]{0,254}", "a Jira project key (upper-case letters, digits, _)"))
            .defineOptional(SERVICE_DESK_ID, ConfigType.STRING, null,
                    "Id of the service desk new requests are raised in (GET /rest/servicedeskapi/servicedesk). Needed to create tickets.",
                    ConfigValidator.matches(DIGITS, "a numeric id"))
            .defineOptional(REQUEST_TYPE_ID, ConfigType.STRING, null,
                    "Id of the request type new requests get. Needed to create tickets.",
                    ConfigValidator.matches(DIGITS, "a numeric id"))
            .defineOptional(REQUEST_TYPE_FIELD, ConfigType.STRING, "customfield_10010",
                    "Field id of JSM's Customer Request Type field; read to report the request type and to apply the request.type filter.",
                    ConfigValidator.matches("customfield_[0-9]+", "a custom field id such as customfield_10010"))
            .defineOptional(CORRELATION_MODE, ConfigType.STRING, "field",
                    "Where the hub's correlation id is written on create so that it can be searched: field (correlation.field) or label (the label itsmhub-<id>; the request type must show the Labels field).",
                    ConfigValidator.oneOf("field", "label"))
            .defineOptional(CORRELATION_FIELD, ConfigType.STRING, null,
                    "Text custom field holding the correlation id when correlation.mode is field, e.g. customfield_10050. It must be on the request type's form.",
                    ConfigValidator.matches("customfield_[0-9]+", "a custom field id such as customfield_10050"))
            .defineOptional(JQL, ConfigType.STRING, null,
                    "An extra JQL clause every read must match, written by the admin (trusted), ANDed in parentheses.")
            .defineOptional(JQL_TIMEZONE, ConfigType.STRING, null,
                    "Time zone JQL dates are compared in: the hub account's Jira time zone (e.g. Europe/Berlin). When unset it is read once from /rest/api/3/myself.",
                    JiraConnectorConfig::zone)
            .defineOptional(READ_LOOKBACK, ConfigType.DURATION, "5m",
                    "Overlap re-read before the cursor on every read: Jira search is eventually consistent and JQL has minute precision. Re-read tickets are de-duplicated.")
            .defineOptional(READ_INITIAL_WINDOW, ConfigType.DURATION, "30d",
                    "How far back the first read (no cursor yet) goes.")
            .defineOptional(STATUS_MAP, ConfigType.MAP, null,
                    "Jira status name to canonical status (NEW, OPEN, IN_PROGRESS, PENDING, RESOLVED, CLOSED, CANCELLED), over the defaults; also picks the transition when changing status.")
            .defineOptional(PRIORITY_MAP, ConfigType.MAP, null,
                    "Jira priority name to canonical priority (P1-P4), over the defaults.")
            .defineOptional(PRIORITY_WRITE_MAP, ConfigType.MAP, null,
                    "Canonical priority (P1-P4) to the Jira priority name written, over the defaults (P1 Highest, P2 High, P3 Medium, P4 Low).")
            .defineOptional(RESOLUTION_DEFAULT, ConfigType.STRING, "Done",
                    "Resolution name supplied when a transition to a done status requires one.")
            .defineOptional(RESOLUTION_NOTE, ConfigType.STRING, NOTE_PUBLIC,
                    "How the other system's resolution note (e.g. a ServiceNow close note) is shown when a synced request is "
                            + "resolved: public-comment (the customer sees it in the portal and is notified), internal-comment "
                            + "(agents only) or none.",
                    ConfigValidator.oneOf(NOTE_PUBLIC, NOTE_INTERNAL, NOTE_NONE))
            .defineOptional(WEBHOOK_SECRET, ConfigType.SECRET, null,
                    "Secret of the Jira webhook; its HMAC-SHA256 signature (X-Hub-Signature) is checked on every call. Webhooks are refused while unset."),
            Duration.ofMinutes(2),
            "at most half of it is spent waiting for Jira's rate limit to reset.");

    private JiraConnectorConfig() {
    }

    private static Optional<String> zone(Object value) {
        try {
            ZoneId.of(value.toString());
            return Optional.empty();
        } catch (DateTimeException e) {
            return Optional.of("must be a time zone id such as Europe/Berlin or UTC, was '" + value + "'");
        }
    }
}
