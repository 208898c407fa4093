package org.itsmhub.plugin.freshdesk.dto;

import java.util.List;

/** The answer of {@code GET /api/v2/search/tickets} (https://developers.freshdesk.com/api/#filter_tickets). */
public record FreshdeskSearchResult(Integer total, List<FreshdeskTicket> results) {
}
