package org.itsmhub.plugin.intune;

import org.pf4j.Plugin;

/** PF4J entry point of the Microsoft Intune connector; lifecycle only (the connector is the factory's job). */
public class IntunePlugin extends Plugin {
}
