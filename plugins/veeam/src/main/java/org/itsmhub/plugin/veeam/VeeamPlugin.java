package org.itsmhub.plugin.veeam;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J entry point of the Veeam Backup &amp; Replication connector; lifecycle only. */
public class VeeamPlugin extends Plugin {

    /** PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive it. */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
