/** Jira and Jira Service Management wire formats, used only by {@code JiraClient} and the mapper. */
package org.itsmhub.plugin.jira.dto;
