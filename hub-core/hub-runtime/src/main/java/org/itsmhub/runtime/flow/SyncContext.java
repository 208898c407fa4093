package org.itsmhub.runtime.flow;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.Connector;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.store.HubStore;

/**
 * Everything the steps of one sync cycle need, handed to them as the exchange property
 * {@value #EXCHANGE_PROPERTY}. Connections are reachable only within the sync's own tenant.
 */
public final class SyncContext {

    /** The exchange property under which route template steps find this context. */
    public static final String EXCHANGE_PROPERTY = "itsmhub.sync";

    private final long runId;
    private final String tenant;
    private final String syncId;
    private final String flow;
    private final Map<String, String> parameters;
    private final RecordHints hints;
    private final SyncSummary summary = new SyncSummary();
    private final ConnectionRegistry connections;
    private final HubStore store;
    private final Clock clock;
    private final Runnable writeGuard;

    /** A cycle outside {@link SyncRunner} (tests, tools), which has no {@code sync_runs} row: run id 0. */
    public SyncContext(String tenant, String syncId, String flow, Map<String, String> parameters,
            RecordHints hints, ConnectionRegistry connections, HubStore store, Clock clock) {
        this(0, tenant, syncId, flow, parameters, hints, connections, store, clock);
    }

    public SyncContext(long runId, String tenant, String syncId, String flow, Map<String, String> parameters,
            RecordHints hints, ConnectionRegistry connections, HubStore store, Clock clock) {
        this(runId, tenant, syncId, flow, parameters, hints, connections, store, clock, null);
    }

    /**
     * A cycle whose every call to a connection's capability first runs {@code writeGuard}, which
     * throws to stop the cycle ({@link SyncRunner} passes its lease's check, and a store guarded by
     * the same check). Reads are guarded too: one check per call is cheaper than knowing which calls
     * write, and a cycle that lost its lease has nothing left to read for.
     *
     * @param writeGuard null for none
     */
    public SyncContext(long runId, String tenant, String syncId, String flow, Map<String, String> parameters,
            RecordHints hints, ConnectionRegistry connections, HubStore store, Clock clock, Runnable writeGuard) {
        this.writeGuard = writeGuard;
        this.runId = runId;
        this.tenant = tenant;
        this.syncId = syncId;
        this.flow = flow;
        this.parameters = Map.copyOf(parameters);
        this.hints = hints;
        this.connections = connections;
        this.store = store;
        this.clock = clock;
    }

    /** This cycle's row in {@code sync_runs}; 0 for a cycle run outside {@link SyncRunner}. */
    public long runId() { return runId; }
    public String tenant() { return tenant; }
    public String syncId() { return syncId; }
    public String flow() { return flow; }
    public Map<String, String> parameters() { return parameters; }
    public SyncSummary summary() { return summary; }
    public HubStore store() { return store; }
    public Clock clock() { return clock; }

    /** The records this cycle is limited to (webhook, dead-letter replay); empty for a full cycle. */
    public RecordHints hints() { return hints; }

    /** A flow parameter's value, or the fallback when the admin did not set it. */
    public String parameter(String name, String fallback) {
        String v = parameters.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A flow parameter the template declares as required. */
    public String requiredParameter(String name) {
        String v = parameters.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("sync " + syncId + " has no parameter '" + name + "'");
        }
        return v;
    }

    /**
     * A connection of this sync's tenant. A connection of another tenant is never returned, whatever
     * the parameters say.
     */
    public Connector connection(String connectionId) {
        return connections.connector(tenant, connectionId);
    }

    /** The plugin id of a connection of this sync's tenant (e.g. {@code freshdesk}), for audit records. */
    public String pluginOf(String connectionId) {
        return connections.find(tenant, connectionId).map(c -> c.plugin())
                .orElseThrow(() -> new org.itsmhub.runtime.connection.UnknownConnectionException(tenant, connectionId));
    }

    /** The connection named by a flow parameter, as the given capability. */
    public <T> T capability(String connectionParameter, Class<T> type) {
        return capability(requiredParameter(connectionParameter), connectionParameter, type);
    }

    /**
     * A connection of this tenant, one of those a list parameter names, as the given capability.
     *
     * @throws IllegalStateException naming the connection and parameter when it cannot act as {@code type}
     */
    public <T> T capability(String connectionId, String parameter, Class<T> type) {
        T capability = connection(connectionId).capability(type).orElseThrow(() -> new IllegalStateException(
                "connection " + tenant + "/" + connectionId + " (parameter " + parameter + ") cannot act as "
                        + type.getSimpleName()));
        return writeGuard == null || !type.isInterface() ? capability : guarded(type, capability);
    }

    private <T> T guarded(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                writeGuard.run();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
