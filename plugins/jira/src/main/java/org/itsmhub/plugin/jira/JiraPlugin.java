package org.itsmhub.plugin.jira;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J entry point of the Jira Service Management connector; lifecycle only. */
public class JiraPlugin extends Plugin {

    /** PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive it. */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
