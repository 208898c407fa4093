package org.itsmhub.plugin.freshdesk.dto;

/** The answer of {@code GET /api/v2/agents/me} (https://developers.freshdesk.com/api/#me); only what the check needs. */
public record FreshdeskAgent(Long id, Contact contact) {

    public record Contact(String name, String email) {
    }
}
