package org.itsmhub.api.model;

/**
 * What the latest observation said about a finding.
 *
 * <p>{@code CLEARED} means the source positively observed the problem gone (a later scan of the
 * host without the item, a successful backup run, a compliant check-in). A finding that merely was
 * not observed is not reported at all and must not be taken as cleared.
 */
public enum FindingState {
    PRESENT, CLEARED
}
