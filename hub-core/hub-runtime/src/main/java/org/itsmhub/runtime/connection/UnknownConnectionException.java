package org.itsmhub.runtime.connection;

/** A sync or request named a connection its tenant does not have. */
public final class UnknownConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownConnectionException(String tenant, String connection) {
        super("tenant '" + tenant + "' has no connection '" + connection + "'");
    }
}
