package org.itsmhub.plugin.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class FreshdeskRateBudgetTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2024-03-10T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aBurstUpToTheLimitGoesAtOnceAndTheNextRequestWaitsForTheOldestToLeaveTheMinute() {
        HandClock clock = new HandClock();
        FreshdeskRateBudget budget = new FreshdeskRateBudget(3, clock);

        assertThat(budget.reserve()).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(budget.reserve()).isZero();
        assertThat(budget.reserve()).isZero();

        assertThat(budget.reserve()).as("the first request left 10 s ago; it leaves the minute in 50 s")
                .isEqualTo(Duration.ofSeconds(50).plus(FreshdeskRateBudget.MARGIN));
    }

    @Test
    void neverMoreThanTheLimitInAnyMinuteAcrossWhatAFixedPeriodWouldReset() {
        HandClock clock = new HandClock();
        FreshdeskRateBudget budget = new FreshdeskRateBudget(200, clock);
        for (int i = 0; i < 200; i++) {
            assertThat(budget.reserve()).isZero();
        }
        clock.advance(Duration.ofSeconds(59)); // a fixed one-minute period starting just before would reset here
        assertThat(budget.reserve()).isPositive();

        clock.advance(Duration.ofSeconds(1).plus(FreshdeskRateBudget.MARGIN));
        assertThat(budget.reserve()).isZero();
    }
}
