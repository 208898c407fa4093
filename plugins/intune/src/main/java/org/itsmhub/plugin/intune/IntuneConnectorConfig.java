package org.itsmhub.plugin.intune;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.plugin.support.http.HttpTimeouts;

/** The Intune connector's config keys, declared once. */
public final class IntuneConnectorConfig {

    public static final String TENANT_ID = "tenant.id";
    public static final String CLIENT_ID = "client.id";
    public static final String CLIENT_SECRET = "client.secret";
    public static final String AUTHORITY = "authority";
    public static final String GRAPH_URL = "graph.url";
    public static final String COMPLIANCE_STATES = "compliance.states";
    public static final String STALE_AFTER = "stale.after";
    public static final String CHECK_ENCRYPTION = "check.encryption";

    /** The placeholder in {@link #AUTHORITY} that stands for {@link #TENANT_ID}. */
    public static final String TENANT_PLACEHOLDER = "{tenant}";

    /** Graph's {@code complianceState} values that can be reported as a present finding. */
    static final Set<String> REPORTABLE_STATES = Set.of("noncompliant", "conflict", "error", "inGracePeriod");

    public static final ConfigDef CONFIG = HttpTimeouts.define(new ConfigDef()
            .define(TENANT_ID, ConfigType.STRING,
                    "Microsoft Entra tenant of the customer: its id (a GUID) or a verified domain such as "
                            + "contoso.onmicrosoft.com. Part of every finding key.",
                    ConfigValidator.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,253}", "a tenant id (GUID) or domain name"))
            .define(CLIENT_ID, ConfigType.STRING,
                    "Application (client) id of the app registration the hub signs in as; it needs the application "
                            + "permission DeviceManagementManagedDevices.Read.All with admin consent.",
                    ConfigValidator.notBlank())
            .define(CLIENT_SECRET, ConfigType.SECRET,
                    "A client secret value of that app registration (not the secret's id).",
                    ConfigValidator.notBlank())
            .defineOptional(AUTHORITY, ConfigType.STRING, "https://login.microsoftonline.com/" + TENANT_PLACEHOLDER,
                    "Token authority; {tenant} is replaced by tenant.id and /oauth2/v2.0/token is appended. Change it "
                            + "for national clouds (e.g. https://login.microsoftonline.us/{tenant}) or the sandbox.",
                    IntuneConnectorConfig::checkAuthority)
            .defineOptional(GRAPH_URL, ConfigType.URL, "https://graph.microsoft.com",
                    "Microsoft Graph root, without a path; the token scope is this URL plus /.default. Change it for "
                            + "national clouds (https://graph.microsoft.us) or the sandbox.",
                    ConfigValidator.httpsOrLoopback())
            .defineOptional(COMPLIANCE_STATES, ConfigType.LIST, List.of("noncompliant", "conflict", "error", "inGracePeriod"),
                    "complianceState values reported as a present non-compliance finding (any of noncompliant, conflict, "
                            + "error, inGracePeriod); compliant clears it, any other state reports nothing.",
                    IntuneConnectorConfig::checkStates)
            .defineOptional(STALE_AFTER, ConfigType.DURATION, "14d",
                    "A device whose last check-in (lastSyncDateTime) is older than this is reported as not checked in; "
                            + "0d turns the check off.")
            .defineOptional(CHECK_ENCRYPTION, ConfigType.BOOLEAN, true,
                    "Whether a device reporting isEncrypted false is reported as having an unencrypted disk."));

    private IntuneConnectorConfig() {
    }

    /** The token endpoint for a tenant: the authority with {@code {tenant}} replaced, plus {@code /oauth2/v2.0/token}. */
    static String tokenUrl(String authority, String tenantId) {
        String base = authority.replace(TENANT_PLACEHOLDER, tenantId);
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/oauth2/v2.0/token";
    }

    private static Optional<String> checkAuthority(Object value) {
        String text = String.valueOf(value).replace(TENANT_PLACEHOLDER, "tenant");
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null || uri.getQuery() != null) {
                return Optional.of("must be an absolute http(s) URL without a query, e.g. "
                        + "https://login.microsoftonline.com/{tenant}, was '" + value + "'");
            }
            return ConfigValidator.httpsOrLoopback().check(uri);
        } catch (URISyntaxException e) {
            return Optional.of("must be a URL such as https://login.microsoftonline.com/{tenant}, was '" + value + "'");
        }
    }

    private static Optional<String> checkStates(Object value) {
        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) value;
        for (String s : states) {
            if (!REPORTABLE_STATES.contains(s)) {
                return Optional.of("must list only noncompliant, conflict, error or inGracePeriod, was '" + s + "'");
            }
        }
        return Optional.empty();
    }
}
