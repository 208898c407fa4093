package org.itsmhub.plugin.jira.dto;

/** A workflow status with its category. */
public record Status(String id, String name, StatusCategory statusCategory) {
}
