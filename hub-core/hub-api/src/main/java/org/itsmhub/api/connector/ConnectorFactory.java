package org.itsmhub.api.connector;

import java.util.List;
import java.util.Set;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.pf4j.ExtensionPoint;

/**
 * The entry point of a connector plugin: one per vendor, found by PF4J as an {@code @Extension}.
 *
 * <p>Lifecycle: the hub asks for {@link #configDef()} to validate every connection that names this
 * connector ({@link #id()} is the {@code plugin:} value in the config file), then
 * {@link #validate(ConnectorConfig)} for cross-key rules, then {@link #create(ConnectorContext)} once
 * per configured connection. Validation happens in two steps: these static checks first, then, when
 * the admin asks for it, the cheap live check {@link Connector#checkConnection()}.
 *
 * <p>Threading: a factory is a stateless singleton; its methods may be called from any thread. The
 * hub calls every plugin method with the plugin's class loader as thread context class loader.
 *
 * @since 0.1
 */
public interface ConnectorFactory extends ExtensionPoint {

    /** The plugin id admins write in config, lower case, e.g. {@code freshdesk}. */
    String id();

    /**
     * Not used: the hub reports a plugin's version (in its log, {@code itsm-hub plugins},
     * {@code /health} and the admin API) from the plugin's descriptor, {@code plugin.version}, which
     * the plugins' parent POM writes from the Maven project version, so there is one source. A
     * plugin that still overrides this keeps compiling; the hub warns when the two disagree.
     *
     * @deprecated since 0.1; implement nothing, the descriptor's version is the plugin's version
     */
    @Deprecated(since = "0.1")
    default String version() {
        return null;
    }

    /** One line describing what the connector talks to. */
    String description();

    /** Every config key this connector accepts, declared once. */
    ConfigDef configDef();

    /** The implementation class; its capability interfaces are listed by {@code itsm-hub plugins}. */
    Class<? extends Connector> connectorType();

    /**
     * What the connector can do, as {@code itsm-hub plugins} lists it: by default the capability
     * interfaces {@link #connectorType()} implements. A connector that hands out a capability as a
     * separate object from {@link Connector#capability} (for example because two capability
     * interfaces declare methods that clash) adds it here.
     */
    default Set<Capability> capabilities() {
        return Capability.of(connectorType());
    }

    /**
     * Checks rules that span several keys (e.g. "either a token or a user and password"). Called
     * only after every key parsed. Report each problem against the responsible key; never throw.
     */
    default List<ConfigProblem> validate(ConnectorConfig config) {
        return List.of();
    }

    /**
     * A reader for the vendor's export files, for connectors that have one ({@code itsm-hub import}).
     *
     * @since 0.1
     */
    default java.util.Optional<FindingFileImporter> fileImporter() {
        return java.util.Optional.empty();
    }

    /**
     * Creates the connector for one connection. Must be cheap and make no network calls; the first
     * vendor call happens on first use.
     */
    Connector create(ConnectorContext context);
}
