package org.itsmhub.api.model;

/** The ticket fields a sync can write to an existing ticket, one at a time or together. */
public enum TicketField {
    TITLE, DESCRIPTION, PRIORITY, ASSIGNEE, ASSIGNMENT_GROUP, CATEGORY
}
