package org.itsmhub.api.error;

/**
 * The vendor refused our credentials or permissions (HTTP 401/403, a failed token grant, a bad
 * webhook signature). Never retried: retrying a wrong password only locks accounts.
 */
public class AuthenticationException extends ConnectorException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuthenticationException(Throwable cause) {
        super(cause);
    }
}
