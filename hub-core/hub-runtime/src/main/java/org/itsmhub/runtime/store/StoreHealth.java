package org.itsmhub.runtime.store;

/**
 * Result of {@link HubStore#health()}.
 *
 * @param ok      whether the database answered
 * @param message "ok", or what went wrong (no secrets)
 */
public record StoreHealth(boolean ok, String message) {
}
