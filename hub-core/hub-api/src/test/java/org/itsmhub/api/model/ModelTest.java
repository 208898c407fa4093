package org.itsmhub.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void priorityFollowsTheImpactUrgencyMatrix() {
        assertThat(Priority.fromImpactAndUrgency(Level.HIGH, Level.HIGH)).isEqualTo(Priority.P1);
        assertThat(Priority.fromImpactAndUrgency(Level.HIGH, Level.MEDIUM)).isEqualTo(Priority.P2);
        assertThat(Priority.fromImpactAndUrgency(Level.MEDIUM, Level.MEDIUM)).isEqualTo(Priority.P3);
        assertThat(Priority.fromImpactAndUrgency(Level.HIGH, Level.LOW)).isEqualTo(Priority.P3);
        assertThat(Priority.fromImpactAndUrgency(Level.LOW, Level.LOW)).isEqualTo(Priority.P4);
    }

    @Test
    void everyPriorityRoundTripsThroughItsDefaultImpactAndUrgency() {
        for (Priority p : Priority.values()) {
            assertThat(Priority.fromImpactAndUrgency(p.defaultImpact(), p.defaultUrgency())).isEqualTo(p);
        }
    }

    @Test
    void macAddressesAreNormalisedWhateverTheVendorsSpelling() {
        AssetIdentity id = new AssetIdentity(null, "PC-01", null,
                List.of("00-1a-2b-3c-4d-5e", "001A.2B3C.4D5E", "00:1A:2B:3C:4D:5F"), null, null);

        assertThat(id.macs()).containsExactly("00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5F");
        assertThat(id.hostname()).isEqualTo("pc-01");
    }

    @Test
    void anIdentityOfOnlyIpAddressesIsWeak() {
        assertThat(new AssetIdentity(null, null, null, null, List.of("10.0.0.5"), null).isWeak()).isTrue();
        assertThat(new AssetIdentity("SN1", null, null, null, List.of("10.0.0.5"), null).isWeak()).isFalse();
        assertThatThrownBy(() -> new AssetIdentity(" ", null, null, null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ticketsAreImmutableAndCopyable() {
        Ticket t = Ticket.builder().title("Printer on fire").status(TicketStatus.OPEN)
                .comments(new java.util.ArrayList<>(List.of(new Comment(null, Person.named("Ann"), "help",
                        Instant.EPOCH, Visibility.INTERNAL))))
                .build();

        Ticket changed = t.toBuilder().status(TicketStatus.RESOLVED).build();

        assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
        assertThat(changed.status().isDone()).isTrue();
        assertThat(changed.comments()).hasSize(1).first().extracting(Comment::isInternal).isEqualTo(true);
        assertThatThrownBy(() -> t.comments().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Ticket.builder().title(" ").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void externalRefsAreEqualByRecordNotByUrl() {
        ExternalRef a = ExternalRef.of("jira", "acme-jira", "SD-1");
        assertThat(a.withUrl("https://acme.atlassian.net/browse/SD-1")).isEqualTo(a);
        assertThat(a.toString()).isEqualTo("jira:acme-jira/SD-1");
    }

    @Test
    void findingsNeedAKeyAndALastSeenTime() {
        assertThatThrownBy(() -> new Finding("", FindingKind.VULNERABILITY, Severity.HIGH, FindingState.PRESENT,
                "t", null, null, null, null, null, null, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Severity.CRITICAL.isAtLeast(Severity.HIGH)).isTrue();
    }
}
