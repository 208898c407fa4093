package org.itsmhub.plugin.support.json;

import java.io.IOException;
import java.io.InputStream;

import org.itsmhub.api.error.DataMappingException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON for vendor DTOs: unknown fields are ignored (vendors add fields all the time), and a body
 * that does not parse becomes a {@link DataMappingException} that says where it broke.
 */
public final class JsonCodec {

    /**
     * Above Jackson's default of 20 M characters, so that a page holding one oversized text parses
     * and only that record is rejected ({@link JsonRecords#MAX_TEXT_CHARS}); a whole answer is
     * bounded by {@code max.response.size} anyway.
     */
    static final int MAX_PARSED_STRING = 256 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_PARSED_STRING).build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a body; {@code what} names it in the error ("Freshdesk ticket list"). */
    public static <T> T read(InputStream body, Class<T> type, String what) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new DataMappingException(what + " was empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new DataMappingException(what + " is not the expected JSON: " + e.getOriginalMessage()
                    + locate(e), e);
        } catch (IOException e) {
            throw new DataMappingException(what + " could not be read: " + e.getMessage(), e);
        }
    }

    public static JsonNode readTree(String body, String what) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DataMappingException(what + " is not valid JSON: " + e.getOriginalMessage() + locate(e), e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new DataMappingException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String locate(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
