package org.itsmhub.plugin.jira;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class JiraArchitectureTest extends PluginArchitectureTest {

    JiraArchitectureTest() {
        super("org.itsmhub.plugin.jira");
    }
}
