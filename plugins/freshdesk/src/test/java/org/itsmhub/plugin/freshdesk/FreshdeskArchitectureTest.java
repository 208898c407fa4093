package org.itsmhub.plugin.freshdesk;

import org.itsmhub.testkit.arch.PluginArchitectureTest;

class FreshdeskArchitectureTest extends PluginArchitectureTest {

    FreshdeskArchitectureTest() {
        super("org.itsmhub.plugin.freshdesk");
    }
}
