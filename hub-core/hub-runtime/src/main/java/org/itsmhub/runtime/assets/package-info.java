/**
 * The asset register and the {@code assets-to-cmdb} flow: source records from asset sources
 * (endpoint management, scanners, backup servers) matched into one register per tenant by identity,
 * with the evidence of every match, and pushed to a CMDB.
 */
package org.itsmhub.runtime.assets;
