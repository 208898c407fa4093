package org.itsmhub.plugin.servicenow;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Capability;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.pf4j.Extension;

/** Creates ServiceNow connections. */
@Extension
public class ServiceNowConnectorFactory implements ConnectorFactory {

    @Override
    public String id() {
        return ServiceNowTicketMapper.SYSTEM;
    }

    @Override
    public String description() {
        return "ServiceNow incidents (Table API): read, create, update, state changes, comments and work notes, webhooks; "
                + "CMDB configuration items (Table API or Identification and Reconciliation API)";
    }

    @Override
    public ConfigDef configDef() {
        return ServiceNowConnectorConfig.CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return ServiceNowConnector.class;
    }

    /** The CMDB writer is a separate object (see {@link ServiceNowConnector#capability}). */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.copyOf(Capability.of(connectorType()));
        all.add(Capability.ASSET_SINK);
        return all;
    }

    @Override
    public List<ConfigProblem> validate(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        boolean clientId = config.has(ServiceNowConnectorConfig.OAUTH_CLIENT_ID);
        boolean clientSecret = config.has(ServiceNowConnectorConfig.OAUTH_CLIENT_SECRET);
        if (clientId && !clientSecret) {
            problems.add(new ConfigProblem(ServiceNowConnectorConfig.OAUTH_CLIENT_SECRET,
                    "OAuth needs the client secret too (or remove oauth.client.id to use basic auth)"));
        } else if (clientSecret && !clientId) {
            problems.add(new ConfigProblem(ServiceNowConnectorConfig.OAUTH_CLIENT_ID,
                    "OAuth needs the client id too (or remove oauth.client.secret to use basic auth)"));
        }
        if (config.has(ServiceNowConnectorConfig.OAUTH_TOKEN_URL) && !clientId) {
            problems.add(new ConfigProblem(ServiceNowConnectorConfig.OAUTH_TOKEN_URL,
                    "is only used with oauth.client.id and oauth.client.secret"));
        }
        boolean webhookUser = config.has(ServiceNowConnectorConfig.WEBHOOK_USER);
        boolean webhookPassword = config.has(ServiceNowConnectorConfig.WEBHOOK_PASSWORD);
        if (webhookUser != webhookPassword) {
            problems.add(new ConfigProblem(webhookUser ? ServiceNowConnectorConfig.WEBHOOK_PASSWORD
                    : ServiceNowConnectorConfig.WEBHOOK_USER, "webhook basic auth needs both webhook.user and "
                            + "webhook.password"));
        }
        if (webhookUser && config.has(ServiceNowConnectorConfig.WEBHOOK_SECRET)) {
            problems.add(new ConfigProblem(ServiceNowConnectorConfig.WEBHOOK_SECRET,
                    "choose one webhook authentication: webhook.secret or webhook.user/webhook.password"));
        }
        problems.addAll(ServiceNowTicketMapper.problems(config));
        return problems;
    }

    @Override
    public Connector create(ConnectorContext context) {
        return new ServiceNowConnector(context);
    }
}
