package org.itsmhub.runtime;

/** The hub cannot start for a reason the admin can fix (e.g. its HTTP port is taken); the message says which. */
public final class HubStartException extends RuntimeException {

    public HubStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
