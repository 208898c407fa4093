/** Freshdesk API v2 wire formats; used only by the client and the mapper of this plugin. */
package org.itsmhub.plugin.freshdesk.dto;
