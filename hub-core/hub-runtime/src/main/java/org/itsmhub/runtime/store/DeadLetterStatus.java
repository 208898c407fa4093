package org.itsmhub.runtime.store;

/** An OPEN dead letter waits for a person; REPLAYED and DISCARDED ones are closed. */
public enum DeadLetterStatus {
    OPEN, REPLAYED, DISCARDED
}
