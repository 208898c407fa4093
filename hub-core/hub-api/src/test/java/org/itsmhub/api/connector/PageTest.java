package org.itsmhub.api.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void aPageMadeTheOldWayHasNoRejectedRecords() {
        Page<String> page = new Page<>(List.of("a"), Cursor.of("1"), true);

        assertThat(page.rejected()).isEmpty();
        assertThat(Page.last(List.of("a"), Cursor.of("1")).rejected()).isEmpty();
    }

    @Test
    void aPageCarriesTheRecordsItCouldNotReadBesideTheOthers() {
        RejectedRecord bad = RejectedRecord.of("7", "lacks updated_at", "{\"id\":7}");

        Page<String> page = new Page<>(List.of("a"), Cursor.of("1"), false).withRejected(List.of(bad));

        assertThat(page.items()).containsExactly("a");
        assertThat(page.rejected()).containsExactly(bad);
        assertThat(page.next()).isEqualTo(Cursor.of("1"));
    }

    @Test
    void aHugeRawRecordIsCutTo64KibAndKeepsItsSize() {
        String raw = "{\"subject\":\"" + "é".repeat(10_000_000) + "\"}";

        RejectedRecord r = RejectedRecord.of(null, "a text field is too long", raw);

        assertThat(r.raw().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RejectedRecord.MAX_RAW_BYTES)
                .isGreaterThan(RejectedRecord.MAX_RAW_BYTES - 2);
        assertThat(r.rawSize()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8).length);
        assertThat(r.truncated()).isTrue();
        assertThat(r.vendorId()).isNull();
    }

    @Test
    void aReasonIsOneShortLine() {
        RejectedRecord r = RejectedRecord.of("1", "Cannot deserialize\n at [Source: x; line: 1]\n" + "x".repeat(900),
                "{}");

        assertThat(r.reason()).doesNotContain("\n").hasSizeLessThanOrEqualTo(RejectedRecord.MAX_REASON_CHARS);
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void aNullElementIsKeptAsTheTextNull() {
        assertThat(RejectedRecord.of(null, "null element", null).raw()).isEqualTo("null");
    }
}
