/**
 * The hub's config file: {@link org.itsmhub.runtime.config.ConfigLoader} reads it into YAML nodes
 * (keeping every line and column) and resolves {@code ${env:NAME}} and {@code ${file:PATH}}
 * references; {@link org.itsmhub.runtime.config.HubConfigValidator} checks it against the installed
 * plugins ({@link org.itsmhub.runtime.config.PluginCatalog}) and route templates
 * ({@link org.itsmhub.runtime.config.FlowCatalog}, read by
 * {@link org.itsmhub.runtime.config.RouteTemplateCatalog}) and binds it to the immutable
 * {@link org.itsmhub.runtime.config.HubConfig} records.
 *
 * <p>Validation reports every problem at once, each as a {@link org.itsmhub.runtime.config.ConfigIssue}
 * ({@code FILE:LINE:COLUMN: key.path: message}). No message ever shows the value of a secret or of
 * a value that came from a reference; {@link org.itsmhub.runtime.config.SecretRedactor} lets the
 * logging layer mask those values too.
 */
package org.itsmhub.runtime.config;
