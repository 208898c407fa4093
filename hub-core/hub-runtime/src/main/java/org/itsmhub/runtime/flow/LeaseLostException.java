package org.itsmhub.runtime.flow;

/**
 * Thrown before a write (to a vendor or to the store) by a cycle whose node may no longer hold the
 * sync's lease; the cycle stops and its run ends as ABANDONED. Deliberately neither a
 * {@code ConnectorException} nor a {@code StoreException} nor an {@code IllegalStateException}: the
 * flows catch those per record and go on with the next one, and this must end the cycle.
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String message) {
        super(message);
    }
}
