/**
 * The errors a connector throws. Four types, all unchecked:
 * {@link org.itsmhub.api.error.ConnectorException} (permanent),
 * {@link org.itsmhub.api.error.RetriableException} (try again, optionally after a given delay),
 * {@link org.itsmhub.api.error.AuthenticationException} (credentials or permissions; never retried) and
 * {@link org.itsmhub.api.error.DataMappingException} (bad payload; the record is dead-lettered).
 */
package org.itsmhub.api.error;
