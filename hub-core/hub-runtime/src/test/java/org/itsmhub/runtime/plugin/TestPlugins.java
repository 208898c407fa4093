package org.itsmhub.runtime.plugin;

import java.nio.file.Path;
import java.util.Map;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.testkit.plugin.PluginZipBuilder;

/**
 * Plugin zips for the plugin host tests, compiled from the sources below. Their classes exist only
 * in the zips. Every test plugin's {@code start()} throws unless it runs with the plugin's own class
 * loader as thread context class loader, so a plugin that loads at all proves the host set it.
 */
final class TestPlugins {

    /** Set by the alpha plugin's {@code stop()}: {@code own} when it ran with its own loader as TCCL. */
    static final String ALPHA_STOPPED_PROPERTY = "itsmhub.test.alpha.stopped";

    private TestPlugins() {
    }

    /** Plugin {@code alpha} 1.2.0, connector {@code alpha}: a ticket sink and webhook parser. */
    static PluginZipBuilder alpha() {
        return PluginZipBuilder.plugin("alpha")
                .version("1.2.0")
                .pluginClass("test.alpha.AlphaPlugin")
                .requires(">=0.1.0")
                .source("test.alpha.AlphaPlugin", """
                        package test.alpha;

                        public class AlphaPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                if (Thread.currentThread().getContextClassLoader() != getClass().getClassLoader()) {
                                    throw new IllegalStateException("start() ran with the wrong context class loader");
                                }
                            }

                            @Override
                            public void stop() {
                                ClassLoader tccl = Thread.currentThread().getContextClassLoader();
                                System.setProperty("%s", tccl == getClass().getClassLoader() ? "own" : "other");
                            }
                        }
                        """.formatted(ALPHA_STOPPED_PROPERTY))
                .source("test.alpha.AlphaFactory", """
                        package test.alpha;

                        import org.itsmhub.api.config.ConfigDef;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.ConnectorFactory;
                        import org.pf4j.Extension;

                        @Extension
                        public class AlphaFactory implements ConnectorFactory {
                            public String id() { return "alpha"; }
                            public String version() { return "1.2.0"; }
                            public String description() { return "Alpha test tickets"; }
                            public ConfigDef configDef() { return new ConfigDef(); }
                            public Class<? extends Connector> connectorType() { return AlphaConnector.class; }
                            public Connector create(ConnectorContext context) { return new AlphaConnector(); }
                        }
                        """)
                .source("test.alpha.AlphaConnector", """
                        package test.alpha;

                        import java.time.Duration;
                        import java.util.List;
                        import java.util.Optional;
                        import java.util.Set;

                        import org.itsmhub.api.config.ConfigProblem;
                        import org.itsmhub.api.connector.ChangeHint;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.TicketSink;
                        import org.itsmhub.api.connector.WebhookParser;
                        import org.itsmhub.api.connector.WebhookRequest;
                        import org.itsmhub.api.error.AuthenticationException;
                        import org.itsmhub.api.error.RetriableException;
                        import org.itsmhub.api.model.Comment;
                        import org.itsmhub.api.model.ExternalRef;
                        import org.itsmhub.api.model.Ticket;
                        import org.itsmhub.api.model.TicketField;
                        import org.itsmhub.api.model.TicketStatus;

                        public class AlphaConnector implements Connector, TicketSink, WebhookParser {

                            /** "own" when called with this plugin's class loader as TCCL, else what the TCCL was. */
                            static String tccl() {
                                ClassLoader tccl = Thread.currentThread().getContextClassLoader();
                                return tccl == AlphaConnector.class.getClassLoader() ? "own"
                                        : "other: " + (tccl == null ? "null" : tccl.getClass().getName());
                            }

                            public List<ConfigProblem> checkConnection() {
                                return List.of(new ConfigProblem("tccl", tccl()));
                            }

                            public void close() {
                            }

                            public ExternalRef create(Ticket ticket, String correlationId) {
                                return ExternalRef.of("alpha", "test", "T-1");
                            }

                            public void update(String id, Ticket ticket, Set<TicketField> fields) {
                                throw new AuthenticationException("alpha refused the API key");
                            }

                            public void changeStatus(String id, TicketStatus status, String note) {
                                throw new RetriableException("alpha is rate limiting", Duration.ofSeconds(30), null);
                            }

                            public ExternalRef addComment(String ticketId, Comment comment) {
                                return ExternalRef.of("alpha", "test", "C-1");
                            }

                            public Optional<Ticket> findByCorrelationId(String correlationId) {
                                return Optional.empty();
                            }

                            public void verify(WebhookRequest request) {
                            }

                            public List<ChangeHint> parse(WebhookRequest request) {
                                return List.of(new ChangeHint(ChangeHint.Kind.TICKET, "T-1", tccl(), null));
                            }

                            @Override
                            public String toString() {
                                return "AlphaConnector";
                            }
                        }
                        """);
    }

    /** Plugin {@code beta} 0.3.0, connector {@code beta}: an asset source. */
    static PluginZipBuilder beta() {
        return PluginZipBuilder.plugin("beta")
                .version("0.3.0")
                .pluginClass("test.beta.BetaPlugin")
                .source("test.beta.BetaPlugin", ownLoaderPlugin("test.beta", "BetaPlugin", ""))
                .source("test.beta.BetaFactory", """
                        package test.beta;

                        import org.itsmhub.api.config.ConfigDef;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.ConnectorFactory;
                        import org.pf4j.Extension;

                        @Extension
                        public class BetaFactory implements ConnectorFactory {
                            public String id() { return "beta"; }
                            public String version() { return "0.3.0"; }
                            public String description() { return "Beta test assets"; }
                            public ConfigDef configDef() { return new ConfigDef(); }
                            public Class<? extends Connector> connectorType() { return BetaConnector.class; }
                            public Connector create(ConnectorContext context) { return new BetaConnector(); }
                        }
                        """)
                .source("test.beta.BetaConnector", """
                        package test.beta;

                        import java.util.List;

                        import org.itsmhub.api.config.ConfigProblem;
                        import org.itsmhub.api.connector.AssetSource;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.Cursor;
                        import org.itsmhub.api.connector.Page;
                        import org.itsmhub.api.connector.ReadRequest;
                        import org.itsmhub.api.model.Asset;

                        public class BetaConnector implements Connector, AssetSource {
                            public List<ConfigProblem> checkConnection() {
                                return List.of();
                            }

                            public void close() {
                            }

                            public Page<Asset> readAssets(ReadRequest request) {
                                return Page.last(List.of(), Cursor.of("end"));
                            }
                        }
                        """);
    }

    /**
     * A plugin with one connector that implements only {@link org.itsmhub.api.connector.Connector},
     * in package {@code test.<pluginId>}; {@code startBody} is the body of its {@code start()} after
     * the context-class-loader check.
     */
    static PluginZipBuilder minimal(String pluginId, String connectorId, String startBody) {
        String pkg = "test." + pluginId.replace("-", "");
        return PluginZipBuilder.plugin(pluginId)
                .pluginClass(pkg + ".MinimalPlugin")
                .source(pkg + ".MinimalPlugin", ownLoaderPlugin(pkg, "MinimalPlugin", startBody))
                .source(pkg + ".MinimalFactory", """
                        package %1$s;

                        import java.util.List;

                        import org.itsmhub.api.config.ConfigDef;
                        import org.itsmhub.api.config.ConfigProblem;
                        import org.itsmhub.api.connector.Connector;
                        import org.itsmhub.api.connector.ConnectorContext;
                        import org.itsmhub.api.connector.ConnectorFactory;
                        import org.pf4j.Extension;

                        @Extension
                        public class MinimalFactory implements ConnectorFactory {
                            public String id() { return "%2$s"; }
                            public String version() { return "1.0.0"; }
                            public String description() { return "Minimal connector from %3$s"; }
                            public ConfigDef configDef() { return new ConfigDef(); }
                            public Class<? extends Connector> connectorType() { return MinimalConnector.class; }
                            public Connector create(ConnectorContext context) { return new MinimalConnector(); }

                            public static class MinimalConnector implements Connector {
                                public List<ConfigProblem> checkConnection() { return List.of(); }
                                public void close() { }
                            }
                        }
                        """.formatted(pkg, connectorId, pluginId));
    }

    /** A connector context with an empty config, for {@code create}. */
    static ConnectorContext context() {
        ConnectorConfig config = ConnectorConfig.of(new ConfigDef(), Map.of());
        return new ConnectorContext() {
            @Override
            public String tenant() {
                return "acme";
            }

            @Override
            public String connection() {
                return "test";
            }

            @Override
            public ConnectorConfig config() {
                return config;
            }
        };
    }

    /** Builds alpha and beta into {@code dir}. */
    static void alphaAndBeta(Path dir) {
        alpha().buildInto(dir);
        beta().buildInto(dir);
    }

    private static String ownLoaderPlugin(String pkg, String className, String startBody) {
        return """
                package %1$s;

                public class %2$s extends org.pf4j.Plugin {
                    @Override
                    public void start() {
                        if (Thread.currentThread().getContextClassLoader() != getClass().getClassLoader()) {
                            throw new IllegalStateException("start() ran with the wrong context class loader");
                        }
                        %3$s
                    }
                }
                """.formatted(pkg, className, startBody);
    }
}
