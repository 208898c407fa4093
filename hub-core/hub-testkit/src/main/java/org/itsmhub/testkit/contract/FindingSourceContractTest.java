package org.itsmhub.testkit.contract;

import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.model.Finding;

/**
 * The contract of every finding source (backup results, device compliance, vulnerability scans):
 * the shared reading behaviour of {@link SourceConnectorContractTest} applied to
 * {@link FindingSource#readFindings}. Finding keys must be unique within a read.
 */
public abstract class FindingSourceContractTest extends SourceConnectorContractTest<Finding> {

    @Override
    protected Page<Finding> read(ReadRequest request) {
        return connector().capability(FindingSource.class).orElseThrow(
                () -> new AssertionError(factory().id() + " is not a finding source")).readFindings(request);
    }

    @Override
    protected String idOf(Finding finding) {
        return finding.key();
    }
}
