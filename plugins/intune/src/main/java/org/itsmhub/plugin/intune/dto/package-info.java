/** Microsoft Graph and Microsoft identity platform wire formats; used only by the client and the mappers of this plugin. */
package org.itsmhub.plugin.intune.dto;
