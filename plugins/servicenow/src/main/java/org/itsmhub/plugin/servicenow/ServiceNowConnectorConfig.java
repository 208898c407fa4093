package org.itsmhub.plugin.servicenow;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The config keys of a ServiceNow connection, declared once. */
public final class ServiceNowConnectorConfig {

    public static final String INSTANCE_URL = "instance.url";
    public static final String AUTH_USER = "auth.user";
    public static final String AUTH_PASSWORD = "auth.password";
    public static final String OAUTH_CLIENT_ID = "oauth.client.id";
    public static final String OAUTH_CLIENT_SECRET = "oauth.client.secret";
    public static final String OAUTH_TOKEN_URL = "oauth.token.url";
    public static final String TABLE = "table";
    public static final String PAGE_SIZE = "page.size";
    public static final String INITIAL_LOOKBACK = "initial.lookback";
    public static final String FILTER_ASSIGNMENT_GROUP = "filter.assignment.group";
    public static final String FILTER_COMPANY = "filter.company";
    public static final String CORRELATION_DISPLAY = "correlation.display";
    public static final String CLOSE_CODE = "close.code";
    public static final String CLOSE_NOTES = "close.notes";
    public static final String HOLD_REASON = "hold.reason";
    public static final String STATUS_READ_MAP = "status.read.map";
    public static final String STATUS_WRITE_MAP = "status.write.map";
    public static final String PRIORITY_READ_MAP = "priority.read.map";
    public static final String PRIORITY_WRITE_MAP = "priority.write.map";
    public static final String COMMENT_AUTHOR_PREFIX = "comment.author.prefix";
    public static final String WEBHOOK_USER = "webhook.user";
    public static final String WEBHOOK_PASSWORD = "webhook.password";
    public static final String WEBHOOK_SECRET = "webhook.secret";
    public static final String WEBHOOK_SECRET_HEADER = "webhook.secret.header";
    public static final String CMDB_API = "cmdb.api";
    public static final String CMDB_CLASS = "cmdb.class";
    public static final String CMDB_DATA_SOURCE = "cmdb.data.source";
    public static final String CMDB_STALE_STATUS = "cmdb.stale.install.status";

    /** A ServiceNow sys_id: 32 lower-case hex digits. */
    static final Pattern SYS_ID = Pattern.compile("[0-9a-f]{32}");

    private static final ConfigValidator SYS_ID_OR_EMPTY = value -> SYS_ID.matcher(value.toString()).matches()
            ? Optional.empty()
            : Optional.of("must be a sys_id (32 hex digits), was '" + value + "'");

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(INSTANCE_URL, ConfigType.URL,
                    "Your instance, e.g. https://acme.service-now.com (plain http only for localhost).",
                    ConfigValidator.httpsOrLoopback())
            .define(AUTH_USER, ConfigType.STRING,
                    "User name of the integration user (basic auth, and the resource owner of the OAuth password grant).",
                    ConfigValidator.notBlank())
            .define(AUTH_PASSWORD, ConfigType.SECRET, "Password of the integration user.", ConfigValidator.notBlank())
            .defineOptional(OAUTH_CLIENT_ID, ConfigType.STRING, null,
                    "Client id of an OAuth application registry entry; when set (with oauth.client.secret) the "
                            + "connector uses OAuth 2.0 (password grant) instead of basic auth.")
            .defineOptional(OAUTH_CLIENT_SECRET, ConfigType.SECRET, null, "Client secret of that OAuth application.")
            .defineOptional(OAUTH_TOKEN_URL, ConfigType.URL, null,
                    "Token endpoint; default: instance.url followed by /oauth_token.do.", ConfigValidator.httpsOrLoopback())
            .defineOptional(TABLE, ConfigType.STRING, "incident",
                    "Table the tickets live in (incident or a table extending it).",
                    ConfigValidator.matches("[a-z][a-z0-9_]*", "a table name (lower case, digits, underscores)"))
            .defineOptional(PAGE_SIZE, ConfigType.INT, 100,
                    "Most records per Table API call (keep pages small: ServiceNow cancels calls after 60 s).",
                    ConfigValidator.between(1, 1000))
            .defineOptional(INITIAL_LOOKBACK, ConfigType.DURATION, "7d",
                    "How far back the very first read goes (later reads continue from the stored cursor).")
            .defineOptional(FILTER_ASSIGNMENT_GROUP, ConfigType.STRING, null,
                    "Read only tickets of this assignment group (sys_id of a sys_user_group record).", SYS_ID_OR_EMPTY)
            .defineOptional(FILTER_COMPANY, ConfigType.STRING, null,
                    "Read only tickets of this company (sys_id of a core_company record).", SYS_ID_OR_EMPTY)
            .defineOptional(CORRELATION_DISPLAY, ConfigType.STRING, "ITSM Hub",
                    "Written to correlation_display on create: the name of the system the ticket mirrors.")
            .defineOptional(CLOSE_CODE, ConfigType.STRING, "Solved (Permanently)",
                    "Resolution code (close_code) written when the hub resolves or closes a ticket.")
            .defineOptional(CLOSE_NOTES, ConfigType.STRING, "Resolved through ITSM Hub.",
                    "Resolution notes (close_notes) when the hub gives no note of its own.")
            .defineOptional(HOLD_REASON, ConfigType.STRING, null,
                    "On hold reason (hold_reason code, e.g. 1 = Awaiting Caller) written when a ticket goes to pending.")
            .defineOptional(STATUS_READ_MAP, ConfigType.MAP, null,
                    "Extra or overriding state codes to canonical statuses, e.g. {\"10\": \"in_progress\"}.")
            .defineOptional(STATUS_WRITE_MAP, ConfigType.MAP, null,
                    "Canonical statuses to state codes, overriding the defaults, e.g. {\"open\": \"2\"}.")
            .defineOptional(PRIORITY_READ_MAP, ConfigType.MAP, null,
                    "Priority codes to P1-P4, overriding the defaults, e.g. {\"5\": \"P4\"}.")
            .defineOptional(PRIORITY_WRITE_MAP, ConfigType.MAP, null,
                    "P1-P4 to \"impact,urgency\" codes written instead of priority, e.g. {\"P2\": \"1,2\"}.")
            .defineOptional(COMMENT_AUTHOR_PREFIX, ConfigType.BOOLEAN, true,
                    "Start written comments with \"Name wrote:\" naming the real author (ServiceNow shows the integration user as author).")
            .defineOptional(WEBHOOK_USER, ConfigType.STRING, null,
                    "User the outbound REST message authenticates with (basic auth), with webhook.password.")
            .defineOptional(WEBHOOK_PASSWORD, ConfigType.SECRET, null, "Password of the outbound REST message.")
            .defineOptional(WEBHOOK_SECRET, ConfigType.SECRET, null,
                    "Shared secret the outbound REST message sends in webhook.secret.header (instead of basic auth).")
            .defineOptional(WEBHOOK_SECRET_HEADER, ConfigType.STRING, "X-ITSM-Hub-Secret",
                    "Header that carries webhook.secret.",
                    ConfigValidator.matches("[A-Za-z0-9-]+", "an HTTP header name"))
            .defineOptional(CMDB_API, ConfigType.STRING, "table",
                    "How assets are written to the CMDB: table (Table API, matched by correlation_id, then serial_number) "
                            + "or ire (Identification and Reconciliation API, matched by the instance's identification rules).",
                    ConfigValidator.oneOf("table", "ire"))
            .defineOptional(CMDB_CLASS, ConfigType.STRING, "cmdb_ci_computer",
                    "CI class (table) assets are written to, e.g. cmdb_ci_computer or cmdb_ci_server.",
                    ConfigValidator.matches("cmdb_ci_[a-z0-9_]+", "a CMDB class name (cmdb_ci_...)"))
            .defineOptional(CMDB_DATA_SOURCE, ConfigType.STRING, "Other Automated",
                    "Written to discovery_source and sent as the IRE data source (sysparm_data_source); must be a choice "
                            + "of the discovery_source field of cmdb_ci.",
                    ConfigValidator.matches("[A-Za-z0-9 _.-]{1,40}", "a discovery_source choice value"))
            .defineOptional(CMDB_STALE_STATUS, ConfigType.STRING, "100",
                    "install_status written when the hub marks a CI stale (100 = Absent; 7 = Retired); CIs are never deleted.",
                    ConfigValidator.matches("-?[0-9]{1,4}", "an install_status choice value (a number)")),
            Duration.ofSeconds(90),
            "at most a third of it is spent waiting for the instance's rate limit to reset.");

    private ServiceNowConnectorConfig() {
    }
}
