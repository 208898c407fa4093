package org.itsmhub.plugin.servicenow;

import org.pf4j.Plugin;

/** PF4J lifecycle of the ServiceNow plugin; the connector itself comes from {@link ServiceNowConnectorFactory}. */
public class ServiceNowPlugin extends Plugin {
}
