package org.itsmhub.sandbox.freshdesk;

import java.util.Map;

/** The Freshdesk connector's twin lookup against the sandbox, correlation id as a tag. */
class FreshdeskTagModeTicketSinkContractTest extends FreshdeskTicketSinkContractTest {

    @Override
    Map<String, Object> mode() {
        return Map.of("correlation.mode", "tag");
    }
}
