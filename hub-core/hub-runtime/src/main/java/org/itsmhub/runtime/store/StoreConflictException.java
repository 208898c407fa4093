package org.itsmhub.runtime.store;

/**
 * A write would break a uniqueness rule that is not resolved automatically, for example linking a
 * record that is already linked to a different record in the same sync.
 */
public class StoreConflictException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreConflictException(String message) {
        super(message);
    }

    public StoreConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreConflictException(Throwable cause) {
        super(cause);
    }
}
