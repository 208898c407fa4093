package org.itsmhub.runtime.flow;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.ExchangeProperty;
import org.itsmhub.api.config.ConfigProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code connection-check} flow: runs each named connection's cheap live check
 * and counts a connection with problems as failed, so broken credentials show up in the run
 * summary, the metrics and {@code /health} before a ticket sync trips over them.
 */
public final class ConnectionCheckFlow {

    /** The name route templates use to call this bean. */
    public static final String BEAN_NAME = "connectionCheck";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCheckFlow.class);

    public void check(@ExchangeProperty(SyncContext.EXCHANGE_PROPERTY) SyncContext sync) {
        List<String> ids = Arrays.stream(sync.requiredParameter("connections").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String id : ids) {
            sync.summary().addRead(1);
            List<ConfigProblem> problems;
            try {
                problems = sync.connection(id).checkConnection();
            } catch (RuntimeException e) {
                problems = List.of(new ConfigProblem("", e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            if (problems.isEmpty()) {
                sync.summary().addUnchanged(1);
                LOG.info("Connection {}/{} is healthy", sync.tenant(), id);
            } else {
                sync.summary().addFailed(1);
                problems.forEach(p -> LOG.warn("Connection {}/{}: {}", sync.tenant(), id, p));
            }
        }
    }
}
