package org.itsmhub.plugin.jira.dto;

/** A user (Cloud: accountId; Server/DC: name/key); also the answer of {@code /rest/api/3/myself}. */
public record User(String accountId, String displayName, String emailAddress, String name, String key,
        String timeZone, Boolean active) {
}
