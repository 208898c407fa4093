package org.itsmhub.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.ConnectorFactory;

/** Fake plugins and flows for config tests. */
final class TestCatalogs {

    static final PluginCatalog PLUGINS = PluginCatalog.of(List.of(new FakeFreshdesk(), new FakeJira(), new Broken()));

    static final FlowCatalog FLOWS = FlowCatalog.of(List.of(
            new FlowTemplate("ticket-sync", List.of(
                    new FlowParameter("sync-id", true, null, "set by the hub"),
                    new FlowParameter("schedule", true, null, "set by the hub"),
                    new FlowParameter("left-connection", true, null, "Where tickets are read from."),
                    new FlowParameter("right-connection", true, null, "Where tickets are written to."),
                    new FlowParameter("batch-size", false, "50", "Tickets per run."))),
            new FlowTemplate("asset-sync", List.of(
                    new FlowParameter("schedule", false, "0 0 * * * ?", "Hourly unless set."),
                    new FlowParameter("source-connections", true, null, "Comma-separated asset sources."),
                    new FlowParameter("target-connection", true, null, "The CMDB.")))));

    private TestCatalogs() {
    }

    /** Writes {@code yaml} to {@code dir/hub.yaml} and loads it with the fake catalogs. */
    static LoadResult load(Path dir, String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(PLUGINS, FLOWS, env::get).load(file);
    }

    /** {@code LINE:COLUMN key.path}, to assert where an issue points. */
    static String where(ConfigIssue issue) {
        return issue.line() + ":" + issue.column() + " " + issue.keyPath();
    }

    /** A URL key, a required SECRET key, an optional INT with a range. */
    static final class FakeFreshdesk extends FakeFactory {
        static final ConfigDef CONFIG = new ConfigDef()
                .define("base.url", ConfigType.URL, "Your Freshdesk URL.", ConfigValidator.httpsOrLoopback())
                .define("api.key", ConfigType.SECRET, "API key of the agent the hub acts as.")
                .defineOptional("page.size", ConfigType.INT, 100, "Tickets per page (1-100).",
                        ConfigValidator.between(1, 100));

        FakeFreshdesk() {
            super("freshdesk", CONFIG);
        }
    }

    /** Cross-key rule: either both auth.user and auth.token or neither; a MAP key. */
    static final class FakeJira extends FakeFactory {
        static final ConfigDef CONFIG = new ConfigDef()
                .define("base.url", ConfigType.URL, "Your Jira URL.")
                .defineOptional("auth.user", ConfigType.STRING, null, "User (e-mail) the hub acts as.")
                .defineOptional("auth.token", ConfigType.SECRET, null, "API token of that user.")
                .defineOptional("status.map", ConfigType.MAP, null, "Jira status per canonical status.");

        FakeJira() {
            super("jira", CONFIG);
        }

        @Override
        public List<ConfigProblem> validate(ConnectorConfig config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.has("auth.user") && !config.has("auth.token")) {
                problems.add(new ConfigProblem("auth.token", "required when auth.user is set"));
            }
            if (config.has("auth.token") && !config.has("auth.user")) {
                problems.add(new ConfigProblem("auth.user", "required when auth.token is set"));
            }
            return problems;
        }
    }

    /** A plugin with a bug in its cross-key check. */
    static final class Broken extends FakeFactory {
        Broken() {
            super("broken", new ConfigDef());
        }

        @Override
        public List<ConfigProblem> validate(ConnectorConfig config) {
            throw new IllegalStateException("bug");
        }
    }

    abstract static class FakeFactory implements ConnectorFactory {
        private final String id;
        private final ConfigDef def;

        FakeFactory(String id, ConfigDef def) {
            this.id = id;
            this.def = def;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String version() {
            return "0.0.1";
        }

        @Override
        public String description() {
            return "fake " + id;
        }

        @Override
        public ConfigDef configDef() {
            return def;
        }

        @Override
        public Class<? extends Connector> connectorType() {
            return Connector.class;
        }

        @Override
        public Connector create(ConnectorContext context) {
            throw new UnsupportedOperationException("config tests create no connectors");
        }
    }
}
