package org.itsmhub.plugin.nessus;

import org.pf4j.Plugin;

/** PF4J entry point of the Tenable Nessus connector; lifecycle only (the connector is the factory's job). */
public class NessusPlugin extends Plugin {
}
