package org.itsmhub.api.model;

/**
 * Who may read a comment. An internal comment (ServiceNow work note, Jira internal comment,
 * Freshdesk private note) must never become public on another system.
 */
public enum Visibility {
    PUBLIC, INTERNAL
}
