package org.itsmhub.runtime.http;

import org.apache.camel.Exchange;
import org.itsmhub.runtime.logging.LogRedaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes HTTP answers as JSON. Callers pass maps, lists and strings (instants as ISO-8601 text). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static void respond(Exchange exchange, int status, Object body) {
        try {
            // the last door before the wire: a run error or dead letter may quote a vendor's echo
            exchange.getMessage().setBody(LogRedaction.redact(MAPPER.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON answer", e);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
