package org.itsmhub.sandbox;

/** Failures a sandbox can inject at a given rate, to test how the hub copes. */
public enum Fault {
    /** The vendor's own 5xx answer ({@link VendorSandbox#serverError()}). */
    SERVER_ERROR,
    /** No answer within any sensible timeout (the connection is held, then dropped). */
    TIMEOUT,
    /** A 200 whose body is cut off mid-JSON. */
    MALFORMED_BODY
}
