package org.itsmhub.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Priority;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The twin lookup of every {@link TicketSink}, against a vendor that keeps what it is given (a
 * sandbox): tickets created through {@link TicketSink#create} are found again by
 * {@link TicketSink#findByCorrelationIds} (exactly those, not ids that merely share a prefix), the
 * oldest of two tickets with one id is the twin, and a batch costs a few vendor calls, not one per
 * id. The hub relies on this before creating twins, so that a lost or restored store never
 * duplicates a ticket.
 */
public abstract class TicketSinkContractTest {

    /** Created twins per test: more than one lookup query holds for some vendors. */
    protected static final int CREATED = 24;

    private String prefix;

    /** The sink under test, connected to an empty vendor that keeps what is created. */
    protected abstract TicketSink sink();

    /** Requests the vendor has answered so far, to count what a lookup costs. */
    protected abstract int vendorRequests();

    /**
     * The most vendor calls a lookup of {@code ids} correlation ids may cost; by default a fifth of
     * the ids (at least one), which a lookup per id never meets. A vendor whose query is short (e.g.
     * Freshdesk's 512 characters) may allow more.
     */
    protected int maxLookupCalls(int ids) {
        return Math.max(1, ids / 5);
    }

    /** A ticket the vendor accepts on create. */
    protected Ticket ticket(int i) {
        return Ticket.builder().title("Contract twin " + i).description("Made by the twin lookup contract")
                .status(TicketStatus.NEW).priority(Priority.P3)
                .requester(new Person(null, "Contract Requester", "contract.requester@example.com")).build();
    }

    /** A correlation id as the hub makes them: {@code ih:<sync>:<side>:<origin id>}. */
    protected String correlationId(String origin) {
        return "ih:" + prefix + ":L:" + origin;
    }

    @BeforeEach
    void namePrefix(TestInfo test) {
        prefix = "c" + Integer.toHexString(test.getDisplayName().hashCode() & 0xfffffff);
    }

    @Test
    void findByCorrelationIdsReturnsExactlyTheCreatedTwinsInAFewCalls() {
        TicketSink sink = sink();
        Map<String, ExternalRef> created = new LinkedHashMap<>();
        for (int i = 0; i < CREATED; i++) {
            String id = correlationId(Integer.toString(100 + i));
            created.put(id, sink.create(ticket(i), id));
        }
        List<String> asked = new ArrayList<>(created.keySet());
        // unknown ids, among them prefixes of created ones (ih:...:L:10 of ih:...:L:100): a vendor that
        // matches words or substrings must not hand back a neighbour
        List<String> unknown = List.of(correlationId("10"), correlationId("11"), correlationId("999"),
                "ih:" + prefix + "x:L:100", correlationId("100-old"));
        asked.addAll(2, unknown);
        int before = vendorRequests();

        Map<String, Ticket> found = sink.findByCorrelationIds(asked);

        int calls = vendorRequests() - before;
        assertThat(found).containsOnlyKeys(created.keySet());
        created.forEach((id, ref) -> {
            assertThat(found.get(id).ref().id()).as("twin of %s", id).isEqualTo(ref.id());
            assertThat(found.get(id).correlationId()).isEqualTo(id);
        });
        assertThat(calls).as("vendor calls for %d ids", asked.size()).isBetween(1, maxLookupCalls(asked.size()));
    }

    @Test
    void theOldestTicketIsTheTwinWhenARetriedCreateMadeTwo() {
        TicketSink sink = sink();
        String id = correlationId("7");
        ExternalRef first = sink.create(ticket(1), id);
        ExternalRef second = sink.create(ticket(2), id);
        String other = correlationId("8");
        ExternalRef third = sink.create(ticket(3), other);

        Map<String, Ticket> found = sink.findByCorrelationIds(List.of(id, other));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(found).containsOnlyKeys(id, other);
        assertThat(found.get(id).ref().id()).isEqualTo(first.id());
        assertThat(found.get(other).ref().id()).isEqualTo(third.id());
    }

    @Test
    void theBatchedLookupAgreesWithTheSingleOne() {
        TicketSink sink = sink();
        String id = correlationId("42");
        ExternalRef ref = sink.create(ticket(42), id);

        Optional<Ticket> single = sink.findByCorrelationId(id);
        Map<String, Ticket> batch = sink.findByCorrelationIds(List.of(id, correlationId("43")));

        assertThat(single).get().extracting(t -> t.ref().id()).isEqualTo(ref.id());
        assertThat(batch).containsOnlyKeys(id);
        assertThat(batch.get(id).ref().id()).isEqualTo(single.get().ref().id());
    }

    @Test
    void anEmptyBatchFindsNothingWithoutAskingTheVendor() {
        TicketSink sink = sink();
        int before = vendorRequests();

        assertThat(sink.findByCorrelationIds(List.of())).isEmpty();
        assertThat(vendorRequests()).isEqualTo(before);
    }
}
