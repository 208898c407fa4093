package org.itsmhub.api.model;

/** How bad a finding is, in the usual five steps (Nessus 0–4 maps one to one). */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
