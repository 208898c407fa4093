/** Wire formats of the Nessus REST API; they never leave {@code NessusClient}. */
package org.itsmhub.plugin.nessus.dto;
