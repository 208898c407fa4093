package org.itsmhub.plugin.veeam;

import java.time.Duration;
import java.util.ArrayList;
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
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Extension;

import static org.itsmhub.plugin.veeam.VeeamConnectorConfig.*;

/** Creates Veeam Backup &amp; Replication connectors; found by PF4J. */
@Extension
public class VeeamConnectorFactory implements ConnectorFactory {

    static final String VENDOR = "veeam";

    @Override
    public String id() {
        return VENDOR;
    }

    @Override
    public String description() {
        return "Veeam Backup & Replication: failed, warning and stale backup jobs as findings; protected machines as assets.";
    }

    @Override
    public ConfigDef configDef() {
        return CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return VeeamConnector.class;
    }

    @Override
    public List<ConfigProblem> validate(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        config.getMap(RPO_PER_JOB).forEach((job, rpo) -> {
            try {
                if (!isPositive(ConfigDef.parseDuration(rpo))) {
                    problems.add(new ConfigProblem(RPO_PER_JOB + "." + job, "must be a positive duration, was '" + rpo + "'"));
                }
            } catch (RuntimeException e) {
                problems.add(new ConfigProblem(RPO_PER_JOB + "." + job,
                        "must be a duration such as 24h, 2h or 7d, was '" + rpo + "'"));
            }
        });
        if (!isPositive(config.getDuration(RPO_DEFAULT))) {
            problems.add(new ConfigProblem(RPO_DEFAULT, "must be a positive duration"));
        }
        if (config.has(TLS_PINNED_SHA256) && config.has(TlsTrust.KEY)) {
            problems.add(new ConfigProblem(TLS_PINNED_SHA256, "set either " + TLS_PINNED_SHA256 + " or "
                    + TlsTrust.KEY + ", not both: a pin accepts exactly one certificate whatever " + TlsTrust.KEY + " says"));
        }
        return problems;
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    @Override
    public Connector create(ConnectorContext context) {
        ConnectorConfig config = context.config();
        String apiVersion = config.getString(API_VERSION);
        VeeamTokens tokens = new VeeamTokens(config.getString(USERNAME), config.getSecret(PASSWORD), context.clock());
        OkHttpClient login = VendorHttpClients.forConnection(VENDOR,
                chain -> chain.proceed(chain.request().newBuilder().header("x-api-version", apiVersion).build()),
                null, HttpTimeouts.of(config));
        if (config.findString(TLS_PINNED_SHA256).isPresent()) {
            login = VeeamTls.pin(login.newBuilder(), config.getString(TLS_PINNED_SHA256)).build();
        }
        OkHttpClient api = login.newBuilder().addInterceptor(AuthInterceptors.bearer(context, tokens)).build();
        VeeamErrorClassifier classifier = new VeeamErrorClassifier(context.clock());
        String baseUrl = config.getUrl(BASE_URL).toString();
        HttpUrl base = HttpUrl.get(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        VeeamClient client = new VeeamClient(new HttpExecutor(login, classifier), new HttpExecutor(api, classifier), base,
                tokens);
        tokens.attach(client);
        String server = config.findString(SERVER_NAME).orElse(base.host() + ":" + base.port());
        return new VeeamConnector(client, new VeeamFindingMapper(server, context.connection()),
                new VeeamAssetMapper(context.connection()), config.getDuration(RPO_DEFAULT), config.getMap(RPO_PER_JOB),
                context.clock());
    }
}
