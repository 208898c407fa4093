package org.itsmhub.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.itsmhub.runtime.store.DatabaseVendor;
import org.itsmhub.runtime.store.HubStore;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Chooses the Quartz job store. On PostgreSQL the schedules live in the store's {@code QRTZ_}
 * tables as a clustered JDBC job store, so a second hub node on the same database takes over the
 * schedules and each firing runs on exactly one node. On the embedded H2 store (one node by
 * nature) Quartz keeps them in memory.
 *
 * <p>The scheduler name comes from the Camel context name, which is the same on every node
 * ({@link HubRuntime#CAMEL_NAME}); nodes with different names would form separate clusters and run
 * every firing twice.
 */
final class QuartzSetup {

    private static final String DATA_SOURCE = "itsmhubStore";

    private QuartzSetup() {
    }

    static void configure(CamelContext camel, HubStore store) {
        if (store.vendor() != DatabaseVendor.POSTGRESQL) {
            return;
        }
        DataSource dataSource = store.dataSource();
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the store, which closes it
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", HubRuntime.CAMEL_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "2000");
        // a survivor skips missed firings instead of replaying a burst of them
        p.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(p);
    }
}
