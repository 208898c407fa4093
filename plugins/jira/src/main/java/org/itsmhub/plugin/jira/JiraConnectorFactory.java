package org.itsmhub.plugin.jira;

import static org.itsmhub.plugin.jira.JiraConnectorConfig.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.TicketStatus;
import org.pf4j.Extension;

/** Creates Jira Service Management connections. */
@Extension
public class JiraConnectorFactory implements ConnectorFactory {

    @Override
    public String id() {
        return "jira";
    }

    @Override
    public String description() {
        return "Jira Cloud / Jira Service Management requests, comments and webhooks (REST v3 + servicedeskapi).";
    }

    @Override
    public ConfigDef configDef() {
        return JiraConnectorConfig.CONFIG;
    }

    @Override
    public Class<? extends Connector> connectorType() {
        return JiraConnector.class;
    }

    @Override
    public List<ConfigProblem> validate(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        boolean email = config.has(AUTH_EMAIL);
        boolean token = config.has(AUTH_API_TOKEN);
        boolean bearer = config.has(AUTH_BEARER_TOKEN);
        if (bearer && (email || token)) {
            problems.add(new ConfigProblem(AUTH_BEARER_TOKEN,
                    "set either " + AUTH_EMAIL + " + " + AUTH_API_TOKEN + " or " + AUTH_BEARER_TOKEN + ", not both"));
        } else if (!bearer && !email && !token) {
            problems.add(new ConfigProblem(AUTH_API_TOKEN,
                    "set " + AUTH_EMAIL + " + " + AUTH_API_TOKEN + " (basic auth) or " + AUTH_BEARER_TOKEN));
        } else if (!bearer && !email) {
            problems.add(new ConfigProblem(AUTH_EMAIL, "required with " + AUTH_API_TOKEN));
        } else if (!bearer && !token) {
            problems.add(new ConfigProblem(AUTH_API_TOKEN, "required with " + AUTH_EMAIL));
        }
        if ("field".equals(config.getString(CORRELATION_MODE)) && !config.has(CORRELATION_FIELD)) {
            problems.add(new ConfigProblem(CORRELATION_FIELD,
                    "required when " + CORRELATION_MODE + " is field (or set " + CORRELATION_MODE + ": label)"));
        }
        for (Map.Entry<String, String> e : config.getMap(STATUS_MAP).entrySet()) {
            if (!isEnum(TicketStatus.class, e.getValue())) {
                problems.add(new ConfigProblem(STATUS_MAP + "." + e.getKey(),
                        "must be one of " + List.of(TicketStatus.values()) + ", was '" + e.getValue() + "'"));
            }
        }
        for (Map.Entry<String, String> e : config.getMap(PRIORITY_MAP).entrySet()) {
            if (!isEnum(Priority.class, e.getValue())) {
                problems.add(new ConfigProblem(PRIORITY_MAP + "." + e.getKey(), "must be P1, P2, P3 or P4, was '"
                        + e.getValue() + "'"));
            }
        }
        for (Map.Entry<String, String> e : config.getMap(PRIORITY_WRITE_MAP).entrySet()) {
            if (!isEnum(Priority.class, e.getKey())) {
                problems.add(new ConfigProblem(PRIORITY_WRITE_MAP + "." + e.getKey(), "keys must be P1, P2, P3 or P4"));
            } else if (e.getValue().isBlank()) {
                problems.add(new ConfigProblem(PRIORITY_WRITE_MAP + "." + e.getKey(), "must name a Jira priority"));
            }
        }
        return problems;
    }

    private static <E extends Enum<E>> boolean isEnum(Class<E> type, String value) {
        try {
            Enum.valueOf(type, value.strip());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Connector create(ConnectorContext context) {
        return new JiraConnector(context);
    }
}
