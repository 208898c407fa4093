package org.itsmhub.plugin.servicenow;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class ServiceNowArchitectureTest extends PluginArchitectureTest {
    ServiceNowArchitectureTest() {
        super("org.itsmhub.plugin.servicenow");
    }
}
