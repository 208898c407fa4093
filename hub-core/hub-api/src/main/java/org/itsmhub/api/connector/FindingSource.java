package org.itsmhub.api.connector;

import org.itsmhub.api.model.Finding;

/**
 * Reads findings (vulnerabilities, backup failures, non-compliance) from a signal system.
 *
 * <p>Each finding carries a stable key. A source reports a finding as
 * {@link org.itsmhub.api.model.FindingState#CLEARED} only when it positively observed the problem
 * gone; what it did not observe it does not report.
 *
 * @since 0.1
 */
public interface FindingSource {

    /** One page of findings observed since the cursor. */
    Page<Finding> readFindings(ReadRequest request);
}
