package org.itsmhub.api.connector;

import org.itsmhub.api.model.Finding;

/**
 * Reads findings (vulnerabilities, backup failures, non-compliance) from a signal system.
 *
 * <p>Each finding carries a stable key. A source reports a finding as
 * {@link org.itsmhub.api.model.FindingState#CLEARED} only when it positively observed the problem
 * gone; what it did not observe it does not report.
 *
 * <p>Some systems never say "gone" explicitly: a vulnerability scanner simply no longer lists the
 * item in the next scan of the host. Such a source returns {@link Clearing#BY_ABSENCE} from
 * {@link #clearing()} and promises that each page is one complete observation of the assets it
 * names; the hub then counts a finding of one of those assets that is missing from the page as
 * observed absent. An asset that is not on the page was not observed, and nothing about it clears.
 *
 * @since 0.1
 */
public interface FindingSource {

    /** One page of findings observed since the cursor. */
    Page<Finding> readFindings(ReadRequest request);

    /** How this source tells that a problem went away. */
    default Clearing clearing() {
        return Clearing.REPORTED;
    }

    /** How a source tells that a problem went away. */
    enum Clearing {
        /** The source reports {@link org.itsmhub.api.model.FindingState#CLEARED} findings itself. */
        REPORTED,
        /**
         * Each page is one complete observation (e.g. one scan) of the assets its findings name; a
         * finding of such an asset that is not on the page was observed absent.
         */
        BY_ABSENCE
    }
}
