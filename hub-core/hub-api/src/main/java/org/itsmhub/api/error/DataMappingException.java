package org.itsmhub.api.error;

/**
 * A payload could not be understood or produced: a malformed vendor response or webhook body, a
 * value that does not map to the canonical model, or a record the vendor rejected as invalid
 * (HTTP 400/422). Permanent for that record: the hub dead-letters it and keeps going.
 */
public class DataMappingException extends ConnectorException {

    private static final long serialVersionUID = 1L;

    public DataMappingException(String message) {
        super(message);
    }

    public DataMappingException(String message, Throwable cause) {
        super(message, cause);
    }

    public DataMappingException(Throwable cause) {
        super(cause);
    }
}
