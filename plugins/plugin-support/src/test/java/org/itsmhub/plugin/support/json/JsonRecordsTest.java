package org.itsmhub.plugin.support.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class JsonRecordsTest {

    record Dto(Long id, String updated) {
    }

    private static Long read(JsonNode e) {
        Dto dto;
        try {
            dto = JsonCodec.mapper().treeToValue(e, Dto.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new DataMappingException("not a record: " + ex.getOriginalMessage(), ex);
        }
        if (dto.updated() == null) {
            throw new DataMappingException("lacks updated");
        }
        return dto.id();
    }

    @Test
    void eachBadElementIsRejectedAndTheOthersAreRead() {
        String huge = "x".repeat(JsonRecords.MAX_TEXT_CHARS + 1);
        JsonNode page = JsonCodec.readTree("[{\"id\":1,\"updated\":\"a\"}, {\"id\":2}, {\"id\":\"two\",\"updated\":\"a\"},"
                + " null, {\"id\":4,\"updated\":\"a\",\"text\":\"" + huge + "\"}, {\"id\":5,\"updated\":\"b\"}]", "page");

        JsonRecords.Decoded<Long> d = JsonRecords.each(page, "id", JsonRecordsTest::read);

        assertThat(d.items()).containsExactly(1L, 5L);
        assertThat(d.rejected()).extracting(RejectedRecord::vendorId).containsExactly("2", "two", null, "4");
        assertThat(d.rejected().get(0).reason()).isEqualTo("lacks updated");
        assertThat(d.rejected().get(1).reason()).startsWith("not a record: Cannot deserialize value of type `java.lang.Long`");
        assertThat(d.rejected().get(2).reason()).isEqualTo("the element is null, not a record");
        assertThat(d.rejected().get(2).raw()).isEqualTo("null");
        assertThat(d.rejected().get(3).reason()).isEqualTo("field 'text' holds " + huge.length()
                + " characters, more than the " + JsonRecords.MAX_TEXT_CHARS + " the hub reads");
        assertThat(d.rejected().get(3).rawSize()).isGreaterThan(huge.length());
        assertThat(d.rejected().get(3).raw()).hasSizeLessThanOrEqualTo(RejectedRecord.MAX_RAW_BYTES);
    }

    @Test
    void aTwentyMegabyteStringParsesSoThatOnlyItsRecordIsRejected() {
        String body = "[{\"id\":1,\"updated\":\"a\",\"text\":\"" + "y".repeat(20 * 1024 * 1024) + "\"}]";

        JsonNode page = JsonCodec.readTree(body, "page");

        assertThat(JsonRecords.each(page, "id", JsonRecordsTest::read).rejected()).hasSize(1);
    }

    @Test
    void aCallFailureInsideTheReaderIsNoFaultOfTheRecord() {
        JsonNode page = JsonCodec.readTree("[{\"id\":1}]", "page");

        assertThatThrownBy(() -> JsonRecords.each(page, "id", e -> {
            throw new RetriableException("vendor down");
        })).isInstanceOf(RetriableException.class);
    }
}
