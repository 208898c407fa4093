package org.itsmhub.plugin.servicenow;

import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.pf4j.Plugin;

/** PF4J lifecycle of the ServiceNow plugin; the connector itself comes from {@link ServiceNowConnectorFactory}. */
public class ServiceNowPlugin extends Plugin {

    /**
     * PF4J closes the plugin's class loader right after: no OkHttp connection or thread may outlive
     * it. The camel-servicenow side needs nothing here: a connector's close ends its CXF HttpClients
     * and call threads ({@link CamelTableApi#close()}), and CXF's default bus owns no thread of its own,
     * so it is left to go with the class loader.
     */
    @Override
    public void stop() {
        VendorHttpClients.shutdown();
    }
}
