/** Wire formats of the Veeam Backup &amp; Replication REST API v1; they never leave the plugin. */
package org.itsmhub.plugin.veeam.dto;
