package org.itsmhub.runtime;

import java.nio.file.Path;
import java.util.function.Function;

import org.itsmhub.runtime.config.ConfigLoader;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.config.LoadResult;
import org.itsmhub.runtime.config.PluginCatalog;
import org.itsmhub.runtime.config.RouteTemplateCatalog;
import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.plugin.PluginHost;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;

/**
 * Loads a config file the way every command does: plugins from the file's own
 * {@code hub.plugins-dir}, route templates from its {@code hub.routes-dir}, secrets registered for
 * log masking as soon as they are resolved. Keeps the plugin host open for the caller to use and
 * close.
 */
public final class HubBootstrap implements AutoCloseable {

    private PluginHost plugins;
    private LoadResult result;

    public static HubBootstrap load(Path configFile, Function<String, String> environment) {
        HubBootstrap b = new HubBootstrap();
        ConfigLoader loader = new ConfigLoader(b::openPlugins, hub -> RouteTemplateCatalog.read(hub.routesDir()),
                environment);
        b.result = loader.load(configFile);
        if (b.result.isValid()) {
            LogRedaction.register(b.result.config().secretValues());
        }
        return b;
    }

    private PluginCatalog openPlugins(HubSettings hub) {
        try {
            plugins = PluginHost.load(hub.pluginsDir());
        } catch (IllegalArgumentException e) { // a missing or read-only folder: the message says what to do
            throw new HubStartException(e.getMessage() + " (hub.plugins-dir)", e);
        }
        return PluginCatalog.of(plugins.factories());
    }

    public LoadResult result() {
        return result;
    }

    public PluginHost plugins() {
        return plugins;
    }

    /**
     * Opens (and migrates) the store the loaded config names; the caller closes it.
     *
     * @throws IllegalStateException when the config did not load
     */
    public HubStore openStore() {
        if (!result.isValid()) {
            throw new IllegalStateException("the config has problems; no store to open");
        }
        HubSettings.Store s = result.config().hub().store();
        return HubStore.open(new StoreSettings(s.url(), s.user(), s.password().reveal()));
    }

    @Override
    public void close() {
        if (plugins != null) {
            plugins.close();
        }
    }
}
