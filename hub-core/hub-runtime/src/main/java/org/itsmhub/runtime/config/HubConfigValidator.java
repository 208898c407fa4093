package org.itsmhub.runtime.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigKey;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.ConnectorFactory;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Checks a {@link ConfigTree} against the installed plugins and flows and binds it to a
 * {@link HubConfig}, collecting every problem instead of stopping at the first.
 *
 * <p>What it checks: unknown keys (with a "did you mean"), value types, tenant and connection ids,
 * each connection's plugin and its keys (the plugin's {@link ConfigDef#parse} and
 * {@link ConnectorFactory#validate}), each sync's flow, Quartz schedule and parameters, sync ids
 * unique across the file, and that every {@code *-connection} / {@code *-connections} parameter
 * names connections of the sync's own tenant. Problems about a SECRET key or a value that came from
 * a reference never show the value.
 *
 * <p>Stateless and thread-safe when the catalogs are.
 */
public final class HubConfigValidator {

    /** Tenant and connection ids. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-_]*");

    private static final List<String> TOP_KEYS = List.of("hub", "tenants");
    private static final List<String> HUB_KEYS = List.of("store", "http", "plugins-dir", "routes-dir", "cluster");
    private static final List<String> CLUSTER_KEYS = List.of("lease", "lease-wait");
    private static final List<String> STORE_KEYS = List.of("url", "user", "password");
    private static final List<String> HTTP_KEYS = List.of("bind", "port", "admin-token", "idle-timeout",
            "header-timeout", "request-timeout", "max-connections", "max-header-size", "max-body-size");
    private static final List<String> TENANT_KEYS = List.of("connections", "syncs");
    private static final Set<String> SYNC_KEYS = Set.of("id", "flow", "schedule");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

    private final Function<HubSettings, PluginCatalog> plugins;
    private final Function<HubSettings, FlowCatalog> flows;

    public HubConfigValidator(PluginCatalog plugins, FlowCatalog flows) {
        this(hub -> plugins, hub -> flows);
    }

    /** Catalogs that depend on the file's own hub settings (see {@link ConfigLoader}). */
    public HubConfigValidator(Function<HubSettings, PluginCatalog> plugins, Function<HubSettings, FlowCatalog> flows) {
        this.plugins = plugins;
        this.flows = flows;
    }

    /** Every problem of the tree (including those found while reading it), or the bound config. */
    public LoadResult validate(ConfigTree tree) {
        return new Pass(tree).run();
    }

    /** A mapping entry and where it is. */
    private record Entry(String key, Node keyNode, Node value, String path) {
    }

    /** Where the first use of a sync id was. */
    private record SyncIdUse(String tenant, Node node) {
    }

    /** One validation run over one tree. */
    private final class Pass {

        private final ConfigTree tree;
        private final Path file;
        private final List<ConfigIssue> issues;
        private final Set<String> secrets;
        private final Map<String, SyncIdUse> syncIds = new HashMap<>();
        private PluginCatalog pluginCatalog;
        private FlowCatalog flowCatalog;

        Pass(ConfigTree tree) {
            this.tree = tree;
            this.file = tree.file();
            this.issues = new ArrayList<>(tree.issues());
            this.secrets = new LinkedHashSet<>(tree.referenceValues());
        }

        LoadResult run() {
            Node root = tree.root().orElse(null);
            Map<String, Entry> top = Map.of();
            if (root == null) {
                // nothing to check against plugins and flows, which might not even be where the defaults say
                if (tree.issues().isEmpty()) {
                    issues.add(new ConfigIssue(file, 1, 1, "", "the config file is empty; it needs a 'tenants' section"));
                }
                return new LoadResult(null, issues);
            } else if (root instanceof MappingNode mapping) {
                top = entries(mapping, "");
                unknownKeys(top, TOP_KEYS);
            } else {
                issue(root, "", "the config file must be a mapping with the keys " + Suggestions.list(TOP_KEYS));
            }
            HubSettings hub = hubSettings(top.get("hub"));
            pluginCatalog = catalog(() -> plugins.apply(hub), top.get("hub"), "plugins-dir", PluginCatalog.of(List.of()));
            flowCatalog = catalog(() -> flows.apply(hub), top.get("hub"), "routes-dir", FlowCatalog.of(List.of()));
            issues.addAll(flowCatalog.issues());
            Map<String, TenantConfig> tenants = tenants(top.get("tenants"));

            SecretRedactor redactor = new SecretRedactor(secrets);
            List<ConfigIssue> all = new ArrayList<>();
            for (ConfigIssue i : issues) {
                // the last line of defence: no message shows a secret, whatever produced it
                all.add(new ConfigIssue(i.file(), i.line(), i.column(), i.keyPath(), redactor.redact(i.message())));
            }
            all.sort(Comparator.comparing((ConfigIssue i) -> !i.file().equals(file))
                    .thenComparing(i -> i.file().toString())
                    .thenComparingInt(ConfigIssue::line)
                    .thenComparingInt(ConfigIssue::column));
            return all.isEmpty() ? new LoadResult(new HubConfig(file, hub, tenants, redactor), List.of())
                    : new LoadResult(null, all);
        }

        /**
         * A catalog, or {@code none} when it cannot be opened (a plugins folder that does not exist):
         * that is a problem with the file's {@code hub.<key>} (or its default), not an internal error.
         */
        private <T> T catalog(Supplier<T> open, Entry hubEntry, String key, T none) {
            try {
                return open.get();
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                Node at = null;
                if (hubEntry != null && hubEntry.value() instanceof MappingNode hub) {
                    at = hub.getValue().stream().filter(t -> key.equals(YamlNodes.keyText(t)))
                            .map(NodeTuple::getValueNode).findFirst().orElse(null);
                }
                if (at == null) {
                    issues.add(new ConfigIssue(file, 1, 1, "hub." + key, message));
                } else {
                    issue(at, "hub." + key, message);
                }
                return none;
            }
        }

        // ---- hub ---------------------------------------------------------------------------

        private HubSettings hubSettings(Entry hubEntry) {
            HubSettings defaults = HubSettings.defaults();
            Map<String, Entry> hub = mapping(hubEntry);
            unknownKeys(hub, HUB_KEYS);

            Map<String, Entry> store = mapping(hub.get("store"));
            unknownKeys(store, STORE_KEYS);
            String url = text(store.get("url"), false).orElse(HubSettings.DEFAULT_STORE_URL);
            if (!url.startsWith("jdbc:")) {
                issue(store.get("url").value(), store.get("url").path(),
                        "must be a JDBC URL starting with 'jdbc:'" + was(store.get("url").value(), url));
            }
            String user = text(store.get("user"), false).orElse("");
            Secret password = secret(store.get("password"));

            Map<String, Entry> http = mapping(hub.get("http"));
            unknownKeys(http, HTTP_KEYS);
            String bind = text(http.get("bind"), false).orElse(HubSettings.DEFAULT_BIND);
            if (bind.isBlank()) {
                issue(http.get("bind").value(), http.get("bind").path(), "must be a host name or IP address, e.g. 127.0.0.1");
                bind = HubSettings.DEFAULT_BIND;
            }
            int port = port(http.get("port"));
            Secret adminToken = secret(http.get("admin-token"));
            HubSettings.Limits limits = new HubSettings.Limits(
                    duration(http.get("idle-timeout"), HubSettings.Limits.DEFAULT_IDLE_TIMEOUT),
                    duration(http.get("header-timeout"), HubSettings.Limits.DEFAULT_HEADER_TIMEOUT),
                    duration(http.get("request-timeout"), HubSettings.Limits.DEFAULT_REQUEST_TIMEOUT),
                    (int) positive(http.get("max-connections"), HubSettings.Limits.DEFAULT_MAX_CONNECTIONS, 1_000_000),
                    (int) positive(http.get("max-header-size"), HubSettings.Limits.DEFAULT_MAX_HEADER_SIZE, 1 << 20),
                    positive(http.get("max-body-size"), HubSettings.Limits.DEFAULT_MAX_BODY_SIZE, 1L << 30));

            Map<String, Entry> cluster = mapping(hub.get("cluster"));
            unknownKeys(cluster, CLUSTER_KEYS);
            HubSettings.Cluster clusterSettings = new HubSettings.Cluster(
                    duration(cluster.get("lease"), HubSettings.Cluster.DEFAULT_LEASE),
                    duration(cluster.get("lease-wait"), HubSettings.Cluster.DEFAULT_LEASE_WAIT));

            return new HubSettings(new HubSettings.Store(url, user, password),
                    new HubSettings.Http(bind, port, adminToken, limits),
                    path(hub.get("plugins-dir"), defaults.pluginsDir()),
                    path(hub.get("routes-dir"), defaults.routesDir()), clusterSettings);
        }

        private int port(Entry entry) {
            Optional<String> text = text(entry, false);
            if (text.isEmpty()) {
                return HubSettings.DEFAULT_PORT;
            }
            String t = text.get().strip();
            if (WHOLE_NUMBER.matcher(t).matches()) {
                try {
                    int port = Integer.parseInt(t);
                    if (port >= 1 && port <= 65535) {
                        return port;
                    }
                } catch (NumberFormatException e) {
                    // too large: reported below
                }
            }
            issue(entry.value(), entry.path(), "must be a whole number from 1 to 65535" + was(entry.value(), t));
            return HubSettings.DEFAULT_PORT;
        }

        private Duration duration(Entry entry, Duration fallback) {
            Optional<String> text = text(entry, false);
            if (text.isEmpty()) {
                return fallback;
            }
            try {
                Duration d = ConfigDef.parseDuration(text.get());
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            issue(entry.value(), entry.path(), "must be a duration above zero such as 500ms, 10s or 2m" + was(entry.value(), text.get()));
            return fallback;
        }

        private long positive(Entry entry, long fallback, long max) {
            Optional<String> text = text(entry, false);
            if (text.isEmpty()) {
                return fallback;
            }
            String t = text.get().strip();
            if (WHOLE_NUMBER.matcher(t).matches()) {
                try {
                    long n = Long.parseLong(t);
                    if (n >= 1 && n <= max) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // too large: reported below
                }
            }
            issue(entry.value(), entry.path(), "must be a whole number from 1 to " + max + was(entry.value(), t));
            return fallback;
        }

        private Secret secret(Entry entry) {
            String value = text(entry, false).orElse("");
            secrets.add(value);
            return Secret.of(value);
        }

        private Path path(Entry entry, Path fallback) {
            Optional<String> text = text(entry, false);
            if (text.isEmpty()) {
                return fallback;
            }
            if (text.get().isBlank()) {
                issue(entry.value(), entry.path(), "must be a folder path");
                return fallback;
            }
            try {
                return Path.of(text.get());
            } catch (InvalidPathException e) {
                issue(entry.value(), entry.path(), "is not a valid path" + was(entry.value(), text.get()));
                return fallback;
            }
        }

        // ---- tenants -----------------------------------------------------------------------

        private Map<String, TenantConfig> tenants(Entry tenantsEntry) {
            Map<String, Entry> tenants = mapping(tenantsEntry);
            // connections of every tenant first: a sync naming a connection of another tenant is
            // reported as a cross-tenant reference, not as an unknown connection
            Map<String, Map<String, Entry>> parts = new LinkedHashMap<>();
            Map<String, Set<String>> connectionIds = new HashMap<>();
            Map<String, Map<String, ConnectionConfig>> connections = new HashMap<>();
            for (Entry tenant : tenants.values()) {
                checkId(tenant, "tenant id");
                Map<String, Entry> tenantParts = mapping(tenant);
                unknownKeys(tenantParts, TENANT_KEYS);
                parts.put(tenant.key(), tenantParts);
                Map<String, Entry> written = mapping(tenantParts.get("connections"));
                connectionIds.put(tenant.key(), written.keySet());
                Map<String, ConnectionConfig> bound = new LinkedHashMap<>();
                for (Entry connection : written.values()) {
                    ConnectionConfig c = connection(tenant.key(), connection);
                    if (c != null) {
                        bound.put(c.id(), c);
                    }
                }
                connections.put(tenant.key(), bound);
            }
            Map<String, TenantConfig> result = new LinkedHashMap<>();
            for (Entry tenant : tenants.values()) {
                List<SyncConfig> syncs = new ArrayList<>();
                Entry syncsEntry = parts.get(tenant.key()).get("syncs");
                if (syncsEntry != null && syncsEntry.value() instanceof SequenceNode sequence) {
                    List<Node> items = sequence.getValue();
                    for (int i = 0; i < items.size(); i++) {
                        SyncConfig s = sync(tenant.key(), items.get(i), syncsEntry.path() + "[" + i + "]", connectionIds);
                        if (s != null) {
                            syncs.add(s);
                        }
                    }
                } else if (syncsEntry != null && !YamlNodes.isNull(syncsEntry.value())) {
                    issue(syncsEntry.value(), syncsEntry.path(),
                            "must be a list of syncs, each starting with '- id:', was " + YamlNodes.kind(syncsEntry.value()));
                }
                result.put(tenant.key(), new TenantConfig(tenant.key(), connections.get(tenant.key()), syncs));
            }
            return result;
        }

        private void checkId(Entry entry, String what) {
            if (!ID.matcher(entry.key()).matches()) {
                issue(entry.keyNode(), entry.path(), what + " '" + entry.key() + "' must match " + ID.pattern()
                        + " (lower-case letters, digits, '-' and '_', starting with a letter or digit)");
            }
        }

        // ---- connections -------------------------------------------------------------------

        private ConnectionConfig connection(String tenant, Entry connection) {
            checkId(connection, "connection id");
            if (!(connection.value() instanceof MappingNode) && !YamlNodes.isNull(connection.value())) {
                issue(connection.value(), connection.path(), "a connection must be a mapping with 'plugin' and the plugin's keys, was "
                        + YamlNodes.kind(connection.value()));
                return null;
            }
            Map<String, Entry> keys = mapping(connection);
            Entry pluginEntry = keys.get("plugin");
            if (pluginEntry == null) {
                issue(connection.keyNode(), YamlNodes.child(connection.path(), "plugin"),
                        "missing required key 'plugin' (installed plugins: " + Suggestions.list(pluginCatalog.ids()) + ")");
                return null;
            }
            Optional<String> pluginId = text(pluginEntry, true);
            if (pluginId.isEmpty()) {
                return null;
            }
            Optional<ConnectorFactory> found = pluginCatalog.find(pluginId.get());
            if (found.isEmpty()) {
                issue(pluginEntry.value(), pluginEntry.path(), "unknown plugin " + shown(pluginEntry.value(), pluginId.get())
                        + Suggestions.didYouMean(pluginId.get(), pluginCatalog.ids())
                        + "; installed plugins: " + Suggestions.list(pluginCatalog.ids()));
                return null;
            }
            ConnectorFactory factory = found.get();
            try {
                return withPluginLoader(factory, () -> bindConnection(tenant, connection, keys, pluginId.get(), factory));
            } catch (RuntimeException e) {
                issue(connection.keyNode(), connection.path(), "plugin '" + pluginId.get()
                        + "' failed while checking this connection (" + e.getClass().getName() + ")");
                return null;
            }
        }

        private ConnectionConfig bindConnection(String tenant, Entry connection, Map<String, Entry> keys,
                String pluginId, ConnectorFactory factory) {
            ConfigDef def = factory.configDef();
            Map<String, Object> raw = new LinkedHashMap<>();
            Set<String> unresolved = new TreeSet<>();
            for (Entry e : keys.values()) {
                if (e.key().equals("plugin")) {
                    continue;
                }
                Object value = toJava(e.value());
                if (def.key(e.key()).map(ConfigKey::isSecret).orElse(false) && value != null
                        && !(value instanceof java.util.Map || value instanceof java.util.List)) {
                    secrets.add(value.toString());
                    value = Secret.of(value.toString());
                }
                if (tree.containsUnresolved(e.value())) {
                    unresolved.add(e.key()); // already reported where the reference is
                }
                raw.put(e.key(), value);
            }
            int before = issues.size();
            ConfigDef.Parsed parsed = def.parse(raw);
            for (ConfigProblem p : parsed.problems()) {
                if (!unresolved.contains(p.key())) {
                    report(p, connection, keys, def);
                }
            }
            if (!parsed.isValid()) {
                return null;
            }
            for (ConfigProblem p : factory.validate(parsed.config())) {
                report(p, connection, keys, def);
            }
            return issues.size() > before || !unresolved.isEmpty() ? null
                    : new ConnectionConfig(tenant, connection.key(), pluginId, raw, parsed.config());
        }

        /** Places a plugin's problem on the node responsible: the value, an unknown key, or the connection. */
        private void report(ConfigProblem problem, Entry connection, Map<String, Entry> keys, ConfigDef def) {
            String key = problem.key();
            String path = key.isEmpty() ? connection.path() : YamlNodes.child(connection.path(), key);
            Node at = connection.keyNode();
            Node value = null;
            String declared = key;
            Entry entry = keys.get(key);
            if (entry != null) {
                value = entry.value();
                at = def.key(key).isPresent() ? entry.value() : entry.keyNode();
            } else {
                // a part of a key's value, e.g. "status.map.open" inside the MAP key "status.map"
                for (Entry e : keys.values()) {
                    if (key.startsWith(e.key() + ".")) {
                        declared = e.key();
                        value = e.value();
                        at = valueAt(e.value(), key.substring(e.key().length() + 1));
                        break;
                    }
                }
            }
            boolean secret = def.key(declared).map(ConfigKey::isSecret).orElse(false);
            String message = problem.message();
            if (value != null && (secret || tree.containsReference(value))) {
                message = withoutValue(message, value);
            }
            issue(at, path, message);
        }

        private Node valueAt(Node mapValue, String subKey) {
            if (mapValue instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (subKey.equals(YamlNodes.keyText(t))) {
                        return t.getValueNode();
                    }
                }
            }
            return mapValue;
        }

        // ---- syncs -------------------------------------------------------------------------

        private SyncConfig sync(String tenant, Node item, String path, Map<String, Set<String>> connectionIds) {
            if (!(item instanceof MappingNode mapping)) {
                issue(item, path, "a sync must be a mapping with id, flow and schedule, was " + YamlNodes.kind(item));
                return null;
            }
            int before = issues.size();
            Map<String, Entry> keys = entries(mapping, path);

            String id = null;
            Entry idEntry = keys.get("id");
            if (idEntry == null) {
                issue(item, YamlNodes.child(path, "id"),
                        "missing required key 'id' (unique across the file: the scheduler names the sync's job by it)");
            } else {
                id = text(idEntry, true).orElse(null);
                if (id != null && id.isBlank()) {
                    issue(idEntry.value(), idEntry.path(), "must not be empty");
                } else if (id != null) {
                    SyncIdUse first = syncIds.putIfAbsent(id, new SyncIdUse(tenant, idEntry.value()));
                    if (first != null) {
                        issue(idEntry.value(), idEntry.path(), "duplicate sync id " + shown(idEntry.value(), id)
                                + " (first used at line " + YamlNodes.line(first.node()) + " in tenant " + first.tenant()
                                + "); sync ids must be unique across the file");
                    }
                }
            }

            FlowTemplate template = null;
            String flow = null;
            Entry flowEntry = keys.get("flow");
            if (flowEntry == null) {
                issue(item, YamlNodes.child(path, "flow"),
                        "missing required key 'flow' (known flows: " + Suggestions.list(flowCatalog.ids()) + ")");
            } else {
                flow = text(flowEntry, true).orElse(null);
                if (flow != null) {
                    template = flowCatalog.find(flow).orElse(null);
                    if (template == null) {
                        issue(flowEntry.value(), flowEntry.path(), "unknown flow " + shown(flowEntry.value(), flow)
                                + Suggestions.didYouMean(flow, flowCatalog.ids())
                                + "; known flows: " + Suggestions.list(flowCatalog.ids()));
                    }
                }
            }

            String schedule = schedule(keys.get("schedule"), item, path, template);

            Map<String, String> parameters = new LinkedHashMap<>();
            for (Entry e : keys.values()) {
                if (!SYNC_KEYS.contains(e.key())) {
                    parameter(tenant, e, flow, template, connectionIds).ifPresent(v -> parameters.put(e.key(), v));
                }
            }
            if (template != null) {
                for (FlowParameter p : template.parameters()) {
                    if (p.required() && !FlowTemplate.HUB_PARAMETERS.contains(p.name()) && !keys.containsKey(p.name())) {
                        issue(item, YamlNodes.child(path, p.name()), "missing parameter required by flow '" + flow + "'"
                                + (p.description() == null || p.description().isBlank() ? "" : " (" + p.description().strip() + ")"));
                    }
                }
            }
            return issues.size() > before ? null : new SyncConfig(tenant, id, flow, schedule, parameters);
        }

        private String schedule(Entry entry, Node item, String path, FlowTemplate template) {
            if (entry == null) {
                boolean templateDefault = template != null && template.parameter("schedule")
                        .map(p -> p.defaultValue() != null).orElse(false);
                if (!templateDefault) {
                    issue(item, YamlNodes.child(path, "schedule"),
                            "missing required key 'schedule' (a Quartz cron expression, e.g. '0 */5 * * * ?')");
                }
                return null;
            }
            Optional<String> text = text(entry, true);
            if (text.isEmpty()) {
                return null;
            }
            String cron = text.get().strip();
            try {
                CronExpression.validateExpression(cron);
            } catch (ParseException | RuntimeException e) {
                boolean hidden = tree.fromReference(entry.value());
                String detail = hidden || e.getMessage() == null ? "" : ": " + e.getMessage();
                String hint = cron.split("\\s+").length == 5
                        ? "; Quartz needs 6 or 7 fields starting with seconds, e.g. '0 */5 * * * ?'" : "";
                issue(entry.value(), entry.path(), "not a valid Quartz cron expression" + detail + hint);
            }
            return cron;
        }

        private Optional<String> parameter(String tenant, Entry e, String flow, FlowTemplate template,
                Map<String, Set<String>> connectionIds) {
            if (FlowTemplate.HUB_PARAMETERS.contains(e.key())) {
                issue(e.keyNode(), e.path(), "is set by the hub for every sync and cannot be set here");
            } else if (template != null && template.parameter(e.key()).isEmpty()) {
                List<String> names = template.parameters().stream().map(FlowParameter::name)
                        .filter(n -> !FlowTemplate.HUB_PARAMETERS.contains(n)).toList();
                issue(e.keyNode(), e.path(), "unknown parameter of flow '" + flow + "'" + Suggestions.didYouMean(e.key(), names)
                        + "; its parameters: " + Suggestions.list(names));
            }
            Optional<String> value = text(e, true);
            if (value.isPresent() && e.key().endsWith("connections")) {
                for (String part : value.get().split(",", -1)) {
                    if (part.isBlank()) {
                        issue(e.value(), e.path(), "a comma-separated list of connection ids must not have empty entries");
                    } else {
                        connectionReference(tenant, part.strip(), e, connectionIds);
                    }
                }
            } else if (value.isPresent() && e.key().endsWith("connection")) {
                connectionReference(tenant, value.get().strip(), e, connectionIds);
            }
            return value;
        }

        /** A sync may only use connections of its own tenant: tenants never see each other's data. */
        private void connectionReference(String tenant, String ref, Entry e, Map<String, Set<String>> connectionIds) {
            Set<String> own = connectionIds.getOrDefault(tenant, Set.of());
            String shown = shown(e.value(), ref);
            int slash = ref.indexOf('/');
            if (slash >= 0 && ref.substring(0, slash).equals(tenant)) {
                issue(e.value(), e.path(), "write the connection id without a tenant prefix: connections are always those of the sync's tenant ("
                        + tenant + ")");
            } else if (slash >= 0) {
                issue(e.value(), e.path(), "cross-tenant reference " + shown + ": a sync may only use connections of its own tenant ("
                        + tenant + "); tenants never see each other's data");
            } else if (!own.contains(ref)) {
                List<String> owners = connectionIds.entrySet().stream()
                        .filter(t -> !t.getKey().equals(tenant) && t.getValue().contains(ref))
                        .map(Map.Entry::getKey).sorted().toList();
                if (!owners.isEmpty()) {
                    issue(e.value(), e.path(), "cross-tenant reference: connection " + shown + " belongs to tenant "
                            + String.join(", ", owners) + ", not " + tenant
                            + "; a sync may only use connections of its own tenant (tenants never see each other's data)");
                } else {
                    issue(e.value(), e.path(), "unknown connection " + shown + " in tenant " + tenant
                            + Suggestions.didYouMean(ref, own) + "; its connections: " + Suggestions.list(own));
                }
            }
        }

        // ---- nodes -------------------------------------------------------------------------

        /** The entries of a mapping by key, first one wins (the reader reported duplicates). */
        private Map<String, Entry> entries(MappingNode mapping, String path) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = YamlNodes.keyText(tuple);
                if (key == null) {
                    issue(tuple.getKeyNode(), path, "keys must be plain names, not " + YamlNodes.kind(tuple.getKeyNode()));
                } else if (Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
                    issue(tuple.getKeyNode(), path, "YAML merge keys (<<) are not supported; write the keys out");
                } else {
                    entries.putIfAbsent(key, new Entry(key, tuple.getKeyNode(), tuple.getValueNode(),
                            YamlNodes.child(path, key)));
                }
            }
            return entries;
        }

        /** The entries of an entry's mapping value; none when absent or empty, reported when not a mapping. */
        private Map<String, Entry> mapping(Entry entry) {
            if (entry == null || YamlNodes.isNull(entry.value())) {
                return Map.of();
            }
            if (entry.value() instanceof MappingNode m) {
                return entries(m, entry.path());
            }
            issue(entry.value(), entry.path(), "must be a mapping, was " + YamlNodes.kind(entry.value()));
            return Map.of();
        }

        private void unknownKeys(Map<String, Entry> entries, List<String> known) {
            for (Entry e : entries.values()) {
                if (!known.contains(e.key())) {
                    issue(e.keyNode(), e.path(), "unknown key" + Suggestions.didYouMean(e.key(), known)
                            + "; expected one of: " + String.join(", ", known));
                }
            }
        }

        /**
         * The plain text of an entry's value, references resolved. Empty when the entry is absent,
         * empty (reported when {@code required}), not a plain value (reported), or holds a reference
         * that could not be resolved (already reported).
         */
        private Optional<String> text(Entry entry, boolean required) {
            if (entry == null || tree.unresolved(entry.value())) {
                return Optional.empty();
            }
            if (YamlNodes.isNull(entry.value())) {
                if (required) {
                    issue(entry.value(), entry.path(), "needs a value");
                }
                return Optional.empty();
            }
            if (entry.value() instanceof ScalarNode s) {
                return Optional.of(tree.text(s));
            }
            issue(entry.value(), entry.path(), "must be a plain value, was " + YamlNodes.kind(entry.value()));
            return Optional.empty();
        }

        /** A node as a plain Java value for {@link ConfigDef#parse}: String, Boolean, Integer, Long, Double, List, Map or null. */
        private Object toJava(Node node) {
            if (node instanceof ScalarNode s) {
                return tree.fromReference(s) ? tree.text(s) : scalar(s);
            }
            if (node instanceof MappingNode m) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    String key = YamlNodes.keyText(t);
                    map.putIfAbsent(key == null ? "" : key, toJava(t.getValueNode()));
                }
                return map;
            }
            List<Object> list = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                list.add(toJava(item));
            }
            return list;
        }

        private Object scalar(ScalarNode s) {
            String text = s.getValue();
            try {
                if (Tag.NULL.equals(s.getTag())) {
                    return null;
                }
                if (Tag.BOOL.equals(s.getTag())) {
                    return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
                }
                if (Tag.INT.equals(s.getTag()) && WHOLE_NUMBER.matcher(text).matches()) {
                    long value = Long.parseLong(text);
                    return value == (int) value ? (Object) (int) value : (Object) value;
                }
                if (Tag.FLOAT.equals(s.getTag())) {
                    return Double.valueOf(text);
                }
            } catch (NumberFormatException e) {
                // 0x1F, .inf, huge numbers: left as text for the key's type to judge
            }
            return text;
        }

        /** {@code 'value'}, or {@code [hidden]} when it came from a reference. */
        private String shown(Node node, String value) {
            return tree.fromReference(node) ? SecretRedactor.HIDDEN : "'" + value + "'";
        }

        /** {@code ", was 'value'"}, or nothing when the value came from a reference. */
        private String was(Node node, String value) {
            return tree.fromReference(node) ? "" : ", was '" + value + "'";
        }

        /** A plugin's message with the value it echoes cut off. */
        private String withoutValue(String message, Node value) {
            int cut = message.length();
            for (String marker : List.of(", was ", ": '", " was '")) {
                int i = message.indexOf(marker);
                if (i >= 0) {
                    cut = Math.min(cut, i);
                }
            }
            String kept = message.substring(0, cut);
            String text = value instanceof ScalarNode s ? tree.text(s).strip() : "";
            if (!text.isEmpty() && kept.contains(text)) {
                return "invalid value (not shown)";
            }
            return cut < message.length() ? kept + " (value not shown)" : kept;
        }

        private void issue(Node at, String path, String message) {
            issues.add(YamlNodes.issue(file, at, path, message));
        }
    }

    /** Runs plugin code with the plugin's class loader as thread context class loader, as the SPI promises. */
    private static <T> T withPluginLoader(ConnectorFactory factory, Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
