package org.itsmhub.plugin.nessus;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J entry point of the Tenable Nessus connector; lifecycle only (the connector is the factory's job). */
public class NessusPlugin extends Plugin {

    /** PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive it. */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
