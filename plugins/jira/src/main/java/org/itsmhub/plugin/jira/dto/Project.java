package org.itsmhub.plugin.jira.dto;

/** A project reference. */
public record Project(String id, String key, String name) {
}
