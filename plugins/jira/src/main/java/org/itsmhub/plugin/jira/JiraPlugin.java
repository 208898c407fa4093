package org.itsmhub.plugin.jira;

import org.pf4j.Plugin;

/** PF4J entry point of the Jira Service Management connector; lifecycle only. */
public class JiraPlugin extends Plugin {
}
