package org.itsmhub.plugin.veeam;

import org.pf4j.Plugin;

/** PF4J entry point of the Veeam Backup &amp; Replication connector; lifecycle only. */
public class VeeamPlugin extends Plugin {
}
