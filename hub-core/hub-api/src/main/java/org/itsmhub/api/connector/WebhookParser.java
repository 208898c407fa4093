package org.itsmhub.api.connector;

import java.util.List;
import java.util.Optional;

/**
 * Understands the vendor's inbound calls on {@code /webhooks/{tenant}/{connection}}.
 *
 * <p>The hub calls {@link #verify} first and answers 401 when it throws
 * {@link org.itsmhub.api.error.AuthenticationException}; then {@link #parse}, and keeps a body that
 * fails with {@link org.itsmhub.api.error.DataMappingException} as a dead letter for replay.
 * Both must be fast and make no network calls: the vendor waits for the answer.
 *
 * @since 0.1
 */
public interface WebhookParser {

    /** Checks the signature or shared secret. Compare secrets in constant time. */
    void verify(WebhookRequest request);

    /** What changed, as hints; empty for events the connector ignores. */
    List<ChangeHint> parse(WebhookRequest request);

    /**
     * The vendor's id of this delivery, the same on its retries (Jira: {@code X-Atlassian-Webhook-Identifier}),
     * when the vendor sends one. The hub acknowledges a delivery whose id it saw within the last 24 hours
     * without processing it again. Called only after {@link #verify} succeeded.
     *
     * @since 0.2
     */
    default Optional<String> deliveryId(WebhookRequest request) {
        return Optional.empty();
    }
}
