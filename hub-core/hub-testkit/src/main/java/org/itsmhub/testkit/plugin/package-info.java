/**
 * Helpers for tests that load real plugins: {@link org.itsmhub.testkit.plugin.PluginZipBuilder}
 * compiles Java sources into a plugin zip that only a plugin manager can load.
 */
package org.itsmhub.testkit.plugin;
