package org.itsmhub.testkit.contract;

import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Ticket;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The contract of every ticket connector: the shared reading behaviour of
 * {@link SourceConnectorContractTest}, plus query injection neutralised (values that end up in JQL,
 * a ServiceNow encoded query or a search query can never change its meaning).
 */
public abstract class TicketConnectorContractTest extends SourceConnectorContractTest<Ticket> {

    /** Values that would change the meaning of a JQL, ServiceNow encoded query or search filter. */
    protected static final List<String> HOSTILE_VALUES = List.of(
            "x\" OR project is not EMPTY OR summary ~ \"",
            "a\\\" OR 1=1 --",
            "x^ORpriority=1^NQactive=true",
            "x') OR (1=1");

    /**
     * Stubs the incremental read so that a first read returns {@code total} tickets in pages of
     * {@code pageSize}, with the vendor's real paging.
     */
    protected abstract void stubChangedTickets(int total, int pageSize);

    /**
     * The filter a sync would pass to select tickets, with {@code value} in the place that ends up in
     * the vendor's query language (JQL, encoded query, search query).
     */
    protected abstract Map<String, String> filterWith(String value);

    /**
     * Asserts the requests carried {@code hostile} only as escaped literal data, never as query
     * syntax (or that the connector refused it before sending anything).
     */
    protected abstract void assertNeutralised(String hostile, List<LoggedRequest> requests);

    @Override
    protected final void stubChangedRecords(int total, int pageSize) {
        stubChangedTickets(total, pageSize);
    }

    @Override
    protected Page<Ticket> read(ReadRequest request) {
        return source().readChanges(request);
    }

    @Override
    protected String idOf(Ticket ticket) {
        return ticket.ref().id();
    }

    protected TicketSource source() {
        return connector().capability(TicketSource.class).orElseThrow(
                () -> new AssertionError(factory().id() + " is not a ticket source"));
    }

    @Test
    void queryInjectionAttemptsAreNeutralised() {
        for (String hostile : HOSTILE_VALUES) {
            VENDOR.resetAll();
            stubChangedTickets(1, 10);
            try {
                readPages(null, filterWith(hostile));
            } catch (IllegalArgumentException | DataMappingException refused) {
                // refusing the value before sending anything is a valid way to neutralise it
            }
            assertNeutralised(hostile, requests());
        }
    }
}
