package org.itsmhub.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;

/** A hub serving HTTP as {@code itsm-hub run} does, on a valid config; closing it stops everything it started. */
public final class ServedHub implements AutoCloseable {

    private final HubBootstrap boot;
    private final HubStore store;
    private final HubRuntime runtime;

    private ServedHub(HubBootstrap boot, HubStore store, HubRuntime runtime) {
        this.boot = boot;
        this.store = store;
        this.runtime = runtime;
    }

    /** Loads the config (which must be valid), opens its store and starts the hub in serve mode. */
    public static ServedHub start(Path config) throws Exception {
        HubBootstrap boot = HubBootstrap.load(config, name -> null);
        HubStore store = null;
        try {
            assertThat(boot.result().issues()).isEmpty();
            HubConfig hubConfig = boot.result().config();
            HubSettings.Store s = hubConfig.hub().store();
            store = HubStore.open(new StoreSettings(s.url(), s.user(), s.password().reveal()));
            HubRuntime runtime = new HubRuntime(hubConfig, boot.plugins(), store, Clock.systemUTC(),
                    HubRuntime.Mode.SERVE);
            ServedHub hub = new ServedHub(boot, store, runtime);
            runtime.start();
            return hub;
        } catch (Exception | Error e) {
            if (store != null) {
                store.close();
            }
            boot.close();
            throw e;
        }
    }

    public HubBootstrap boot() {
        return boot;
    }

    public HubStore store() {
        return store;
    }

    public HubRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        store.close();
        boot.close();
    }
}
