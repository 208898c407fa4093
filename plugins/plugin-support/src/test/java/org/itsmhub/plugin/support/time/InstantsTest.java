package org.itsmhub.plugin.support.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

class InstantsTest {

    @Test
    void aStartBetweenTwoSecondsMeansTheLaterOneAndAWholeSecondStays() {
        assertThat(Instants.ceil(Instant.parse("2026-01-01T10:00:00.001Z"), ChronoUnit.SECONDS))
                .isEqualTo(Instant.parse("2026-01-01T10:00:01Z"));
        assertThat(Instants.ceil(Instant.parse("2026-01-01T10:00:00Z"), ChronoUnit.SECONDS))
                .isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(Instants.ceil(Instant.parse("2026-01-01T10:00:30Z"), ChronoUnit.MINUTES))
                .isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
    }
}
