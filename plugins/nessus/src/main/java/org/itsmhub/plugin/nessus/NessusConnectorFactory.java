package org.itsmhub.plugin.nessus;

import java.util.Optional;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.FindingFileImporter;
import org.itsmhub.plugin.support.http.AuthInterceptors;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Extension;

import static org.itsmhub.plugin.nessus.NessusConnectorConfig.*;

/** Creates Nessus connectors and offers the {@code .nessus} file importer; found by PF4J. */
@Extension
public class NessusConnectorFactory implements ConnectorFactory {

    static final String VENDOR = "nessus";

    @Override
    public String id() {
        return VENDOR;
    }

    @Override
    public String description() {
        return "Tenable Nessus: vulnerability findings and scanned hosts from completed scans; .nessus file import.";
    }

    @Override
    public ConfigDef configDef() {
        return CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return NessusConnector.class;
    }

    @Override
    public Optional<FindingFileImporter> fileImporter() {
        return Optional.of(new NessusFileImporter());
    }

    @Override
    public Connector create(ConnectorContext context) {
        ConnectorConfig config = context.config();
        Secret apiKeys = Secret.of("accessKey=" + config.getSecret(ACCESS_KEY).reveal() + "; secretKey="
                + config.getSecret(SECRET_KEY).reveal());
        OkHttpClient http = VendorHttpClients.forConnection(VENDOR, AuthInterceptors.header(context, "X-ApiKeys", apiKeys),
                null, HttpTimeouts.of(config));
        String baseUrl = config.getUrl(BASE_URL).toString();
        HttpUrl base = HttpUrl.get(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        NessusClient client = new NessusClient(new HttpExecutor(http, new NessusErrorClassifier(context.clock())), base);
        return new NessusConnector(client, context.tenant(), context.connection(), config, context.clock());
    }
}
