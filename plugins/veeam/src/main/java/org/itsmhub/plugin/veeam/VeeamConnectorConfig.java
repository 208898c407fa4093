package org.itsmhub.plugin.veeam;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The Veeam connector's config keys, declared once. */
public final class VeeamConnectorConfig {

    public static final String BASE_URL = "base.url";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String API_VERSION = "api.version";
    public static final String TLS_PINNED_SHA256 = "tls.pinned.sha256";
    public static final String SERVER_NAME = "server.name";
    public static final String RPO_DEFAULT = "rpo.default";
    public static final String RPO_PER_JOB = "rpo.per.job";

    /** VBR 12.0 speaks 1.1-rev0; every later 12.x and 13.x also accepts it (deprecated in 13). */
    public static final String DEFAULT_API_VERSION = "1.1-rev0";

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(BASE_URL, ConfigType.URL,
                    "The VBR REST API, e.g. https://vbr.acme.local:9419 (port 9419 by default; https, plain http only for localhost).",
                    ConfigValidator.httpsOrLoopback())
            .define(USERNAME, ConfigType.STRING,
                    "VBR user the hub logs in as (OAuth2 password grant), e.g. ACME\\svc-itsmhub; it only reads, see Permissions below.",
                    ConfigValidator.notBlank())
            .define(PASSWORD, ConfigType.SECRET, "Password of username.", ConfigValidator.notBlank())
            .defineOptional(API_VERSION, ConfigType.STRING, DEFAULT_API_VERSION,
                    "Value of the x-api-version header, the API revision the server speaks: 1.1-rev0 (VBR 12.0, accepted by every later 12.x and 13.x), 1.2-rev1 (12.3.1), 1.3-rev1 (13.0.1) or 1.3-rev2 (13.1); the connector reads the answers of each.",
                    ConfigValidator.matches("\\d+\\.\\d+-rev\\d+", "an API version such as 1.1-rev0"))
            .defineOptional(TLS_PINNED_SHA256, ConfigType.STRING, null,
                    "SHA-256 fingerprint (hex, colons optional) of the server's own certificate. When set, exactly that certificate is accepted, e.g. VBR's self-signed one; when unset, the JVM's trusted CAs decide.",
                    ConfigValidator.matches("([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}", "64 hex digits, colons optional"))
            .defineOptional(SERVER_NAME, ConfigType.STRING, null,
                    "Name of this backup server in finding keys and titles; host:port of base.url when unset. Changing it changes every finding key.")
            .defineOptional(RPO_DEFAULT, ConfigType.DURATION, "24h",
                    "Recovery point objective: a job whose last successful run is older than this has a stale backup.")
            .defineOptional(RPO_PER_JOB, ConfigType.MAP, null,
                    "Per-job recovery point objectives, job id or job name to a duration (e.g. {\"SQL hourly\": \"2h\"}); overrides rpo.default."));

    private VeeamConnectorConfig() {
    }
}
