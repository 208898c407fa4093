/** The Veeam Backup &amp; Replication REST API v1 sandbox: OAuth2 token, jobs, job states, sessions. */
package org.itsmhub.sandbox.veeam;
