package org.itsmhub.plugin.intune;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.plugin.support.http.AuthInterceptors;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Extension;

import static org.itsmhub.plugin.intune.IntuneConnectorConfig.*;

/** Creates Intune connectors; found by PF4J. */
@Extension
public class IntuneConnectorFactory implements ConnectorFactory {

    static final String VENDOR = "intune";

    @Override
    public String id() {
        return VENDOR;
    }

    @Override
    public String description() {
        return "Microsoft Intune (Graph managedDevices): devices as assets; non-compliance, missed check-ins and "
                + "unencrypted disks as findings.";
    }

    @Override
    public ConfigDef configDef() {
        return CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return IntuneConnector.class;
    }

    @Override
    public List<ConfigProblem> validate(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String path = config.getUrl(GRAPH_URL).getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            problems.add(new ConfigProblem(GRAPH_URL, "must be the Graph root such as https://graph.microsoft.com, "
                    + "without a path (the connector adds /v1.0/...), was '" + config.getUrl(GRAPH_URL) + "'"));
        }
        if (config.getDuration(STALE_AFTER).isNegative()) {
            problems.add(new ConfigProblem(STALE_AFTER, "must not be negative (0d turns the check off)"));
        }
        return problems;
    }

    @Override
    public Connector create(ConnectorContext context) {
        ConnectorConfig config = context.config();
        Clock clock = context.clock();
        IntuneErrorClassifier classifier = new IntuneErrorClassifier(clock);
        String graphText = config.getUrl(GRAPH_URL).toString();
        HttpUrl graph = HttpUrl.get(graphText.endsWith("/") ? graphText : graphText + "/");
        String scope = graphText.replaceAll("/+$", "") + "/.default";

        OkHttpClient tokenHttp = VendorHttpClients.forConnection(VENDOR, null, null, HttpTimeouts.of(config));
        IntuneTokenProvider tokens = new IntuneTokenProvider(new HttpExecutor(tokenHttp, classifier),
                HttpUrl.get(tokenUrl(config.getString(AUTHORITY), config.getString(TENANT_ID))),
                config.getString(CLIENT_ID), config.getSecret(CLIENT_SECRET), scope, clock);
        OkHttpClient graphHttp = VendorHttpClients.forConnection(VENDOR, AuthInterceptors.bearer(context, tokens::token), null,
                HttpTimeouts.of(config));
        IntuneClient client = new IntuneClient(new HttpExecutor(graphHttp, classifier), graph, tokens);

        IntuneAssetMapper assets = new IntuneAssetMapper(context.connection());
        IntuneFindingMapper findings = new IntuneFindingMapper(config.getString(TENANT_ID), assets,
                new HashSet<>(config.getList(COMPLIANCE_STATES)), config.getDuration(STALE_AFTER),
                config.getBoolean(CHECK_ENCRYPTION));
        return new IntuneConnector(client, tokens, assets, findings, clock);
    }
}
