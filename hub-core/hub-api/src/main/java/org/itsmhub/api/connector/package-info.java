/**
 * The connector SPI, modelled on Kafka Connect: a {@link org.itsmhub.api.connector.ConnectorFactory}
 * per plugin (PF4J extension point) creates one {@link org.itsmhub.api.connector.Connector} per
 * configured connection; a connector implements the capability interfaces it supports
 * ({@link org.itsmhub.api.connector.TicketSource}, {@link org.itsmhub.api.connector.TicketSink},
 * {@link org.itsmhub.api.connector.AssetSource}, {@link org.itsmhub.api.connector.FindingSource},
 * {@link org.itsmhub.api.connector.AssetSink}, {@link org.itsmhub.api.connector.WebhookParser}).
 *
 * <p>Rules every connector follows:
 * <ul>
 *   <li>Reads are incremental from an opaque {@link org.itsmhub.api.connector.Cursor} the connector
 *       owns; pages end with the cursor to store.</li>
 *   <li>Failures are thrown as the unchecked types of {@code org.itsmhub.api.error}; the connector
 *       classifies, the hub retries.</li>
 *   <li>No secret ever appears in a log line or an exception message.</li>
 *   <li>New capabilities arrive as {@code default} methods marked {@code @since}, never as new
 *       abstract methods, so existing plugins keep working.</li>
 * </ul>
 */
package org.itsmhub.api.connector;
