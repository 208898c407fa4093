package org.itsmhub.plugin.jira.dto;

/** {@code new}, {@code indeterminate}, {@code done} (older sites: {@code in-flight}, {@code completed}) or {@code undefined}. */
public record StatusCategory(Integer id, String key, String name) {
}
