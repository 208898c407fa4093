package org.itsmhub.plugin.nessus;

import java.time.Duration;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The Nessus connector's config keys, declared once. */
public final class NessusConnectorConfig {

    public static final String BASE_URL = "base.url";
    public static final String ACCESS_KEY = "access.key";
    public static final String SECRET_KEY = "secret.key";
    public static final String FOLDER_ID = "folder.id";
    public static final String INITIAL_SINCE = "initial.since";
    public static final String MIN_SEVERITY = "min.severity";
    public static final String EXPORT_POLL_INTERVAL = "export.poll.interval";
    public static final String EXPORT_TIMEOUT = "export.timeout";

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(BASE_URL, ConfigType.URL,
                    "Your Nessus server, e.g. https://nessus.acme.local:8834 (https; plain http only for localhost).",
                    ConfigValidator.httpsOrLoopback())
            .define(ACCESS_KEY, ConfigType.SECRET,
                    "API access key of the Nessus user the hub reads as (My Account > API Keys); sent in X-ApiKeys.",
                    ConfigValidator.notBlank())
            .define(SECRET_KEY, ConfigType.SECRET,
                    "API secret key belonging to access.key; sent in X-ApiKeys.",
                    ConfigValidator.notBlank())
            .defineOptional(FOLDER_ID, ConfigType.INT, null,
                    "Read only the scans in this Nessus folder (its numeric id, as in the folder's URL); all folders when unset.",
                    ConfigValidator.between(1, Integer.MAX_VALUE))
            .defineOptional(INITIAL_SINCE, ConfigType.DURATION, "30d",
                    "How far back the first read looks for completed scans (by their last modification date).")
            .defineOptional(MIN_SEVERITY, ConfigType.STRING, "info",
                    "Findings below this severity are not reported: info, low, medium, high or critical.",
                    ConfigValidator.oneOf("info", "low", "medium", "high", "critical"))
            .defineOptional(EXPORT_POLL_INTERVAL, ConfigType.DURATION, "2s",
                    "Pause between two checks of whether a requested .nessus export is ready.")
            .defineOptional(EXPORT_TIMEOUT, ConfigType.DURATION, "15m",
                    "How long to wait for one export to become ready before the read fails (retriable)."),
            Duration.ofMinutes(30),
            "an export download may take minutes (timeouts.read still ends a stalled one).");

    private NessusConnectorConfig() {
    }
}
