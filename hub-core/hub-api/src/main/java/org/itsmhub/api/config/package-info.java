/**
 * Connector configuration, declared once per connector with {@link org.itsmhub.api.config.ConfigDef}
 * (key, type, default, required, secret, doc) and read through
 * {@link org.itsmhub.api.config.ConnectorConfig}. Validation returns every
 * {@link org.itsmhub.api.config.ConfigProblem} at once; {@link org.itsmhub.api.config.Secret} keeps
 * secrets out of logs and messages.
 */
package org.itsmhub.api.config;
