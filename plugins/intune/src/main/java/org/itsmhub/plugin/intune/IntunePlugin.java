package org.itsmhub.plugin.intune;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J entry point of the Microsoft Intune connector; lifecycle only (the connector is the factory's job). */
public class IntunePlugin extends Plugin {

    /** PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive it. */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
