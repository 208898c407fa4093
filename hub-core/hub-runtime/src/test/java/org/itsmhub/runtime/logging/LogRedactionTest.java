package org.itsmhub.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogRedactionTest {

    @AfterEach
    void forgetSecrets() {
        LogRedaction.clear();
    }

    @Test
    void registeredSecretsAreMaskedWhereverTheyAppear() {
        LogRedaction.register(List.of("s3cr3t-value", "abc"));

        assertThat(LogRedaction.redact("calling with s3cr3t-value and again s3cr3t-value"))
                .isEqualTo("calling with [hidden] and again [hidden]");
        // too short to mask by value without garbling ordinary words
        assertThat(LogRedaction.redact("abc")).isEqualTo("abc");
    }

    @Test
    void credentialShapedTextIsMaskedEvenWhenNeverRegistered() {
        assertThat(LogRedaction.redact("Authorization: Basic dXNlcjpwYXNz (retrying)"))
                .isEqualTo("Authorization: Basic [hidden] (retrying)");
        assertThat(LogRedaction.redact("sent bearer eyJhbGciOiJIUzI1NiJ9.x.y"))
                .isEqualTo("sent bearer [hidden]");
        assertThat(LogRedaction.redact("jdbc:postgresql://db/hub?user=hub&password=hunter22&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/hub?user=hub&password=[hidden]&ssl=true");
        assertThat(LogRedaction.redact("{\"api_key\": \"k-123456\", \"name\": \"acme\"}"))
                .isEqualTo("{\"api_key\": \"[hidden]\", \"name\": \"acme\"}");
    }

    @Test
    void anAlreadyMaskedValueIsLeftReadable() {
        LogRedaction.register(List.of("tok-1234567890"));

        assertThat(LogRedaction.redact("(Authorization: Bearer tok-1234567890)"))
                .isEqualTo("(Authorization: Bearer [hidden])");
    }

    @Test
    void textWithoutSecretsIsUnchanged() {
        String line = "Sync acme-tickets (acme) SUCCEEDED: read=3 created=1 updated=0 unchanged=2 failed=0";
        assertThat(LogRedaction.redact(line)).isSameAs(line);
    }
}
