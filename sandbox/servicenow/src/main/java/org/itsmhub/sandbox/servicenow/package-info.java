/**
 * A stateful fake of the ServiceNow Table API subset the ServiceNow connector uses: list, get, create
 * and update on {@code /api/now/table/{table}}, encoded queries, {@code Link} paging, journal fields
 * ({@code comments}, {@code work_notes}) kept in {@code sys_journal_field}, basic auth and the OAuth
 * password grant, ServiceNow's error envelope and 429 headers.
 */
package org.itsmhub.sandbox.servicenow;
