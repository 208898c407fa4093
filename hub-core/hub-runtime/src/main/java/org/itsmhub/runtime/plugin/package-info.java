/**
 * Loading connector plugins and calling into them.
 *
 * <p>{@link org.itsmhub.runtime.plugin.PluginHost} loads every plugin zip in the plugins directory
 * with PF4J, skips (and reports as {@link org.itsmhub.runtime.plugin.PluginProblem}) the ones that
 * cannot be used, and hands out their {@link org.itsmhub.api.connector.ConnectorFactory}s by connector
 * id. Everything it hands out is wrapped by {@link org.itsmhub.runtime.plugin.PluginBoundary}, so
 * every call into plugin code runs with the plugin's class loader as thread context class loader
 * (Camel components inside a plugin find their {@code META-INF/services} files only that way).
 */
package org.itsmhub.runtime.plugin;
