package org.itsmhub.plugin.servicenow;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J lifecycle of the ServiceNow plugin; the connector itself comes from {@link ServiceNowConnectorFactory}. */
public class ServiceNowPlugin extends Plugin {

    /**
     * PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive
     * it. CXF's default bus (camel-servicenow's, see {@link CamelOAuthTrust}) owns no thread once
     * the connectors are closed, so it is left to go with the class loader.
     */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
