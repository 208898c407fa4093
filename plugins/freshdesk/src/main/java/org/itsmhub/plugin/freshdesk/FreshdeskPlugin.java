package org.itsmhub.plugin.freshdesk;

import org.pf4j.Plugin;

/** PF4J entry point of the Freshdesk connector; lifecycle only (the connector is the factory's job). */
public class FreshdeskPlugin extends Plugin {
}
