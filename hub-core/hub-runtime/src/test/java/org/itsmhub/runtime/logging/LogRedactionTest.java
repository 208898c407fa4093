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

    @Test
    void aSecretIsMaskedUrlEncodedAndJsonEscapedToo() {
        LogRedaction.register(List.of("p@ss/w rd\"1"));

        assertThat(LogRedaction.redact("grant_type=password&password=p%40ss%2Fw+rd%221 then p%40ss%2Fw%20rd%221"))
                .doesNotContain("p%40ss").isEqualTo("grant_type=password&password=[hidden] then [hidden]");
        assertThat(LogRedaction.redact("{\"echo\":\"p@ss\\/w rd\\\"1\"}")).isEqualTo("{\"echo\":\"[hidden]\"}");
    }

    @Test
    void aHeaderValueAConnectionSentIsMaskedWholeAndWithoutItsScheme() {
        LogRedaction.registerSent("acme/desk", "Bearer eyJ0eXAi.tok-9");

        assertThat(LogRedaction.redactValues("401: token eyJ0eXAi.tok-9 expired; sent Bearer eyJ0eXAi.tok-9"))
                .isEqualTo("401: token [hidden] expired; sent [hidden]");
    }

    @Test
    void onlyTheLastFewTokensOfAConnectionAreKept() {
        for (int i = 0; i <= LogRedaction.SENT_PER_OWNER; i++) {
            LogRedaction.registerSent("acme/intune", "Bearer token-number-" + i);
        }

        assertThat(LogRedaction.redactValues("token-number-0")).isEqualTo("token-number-0");
        assertThat(LogRedaction.redactValues("token-number-" + LogRedaction.SENT_PER_OWNER)).isEqualTo("[hidden]");
    }

    @Test
    void basicCredentialsAreMaskedWhereverTheyAreEchoedButOrdinaryWordsAreNot() {
        // base64 of sandbox-api-key:X, as a Freshdesk 401 body echoed it
        assertThat(LogRedaction.redact("{\"message\":\"Basic c2FuZGJveC1hcGkta2V5Olg= is not valid\"}"))
                .isEqualTo("{\"message\":\"Basic [hidden] is not valid\"}");
        assertThat(LogRedaction.redact("basic authentication failed")).isEqualTo("basic authentication failed");
    }

    @Test
    void storedPayloadsKeepCredentialShapedWordsAndLoseOnlyKnownSecrets() {
        LogRedaction.register(List.of("s3cr3t-value"));

        assertThat(LogRedaction.redactValues("{\"description\":\"password: reset it, key s3cr3t-value\"}"))
                .isEqualTo("{\"description\":\"password: reset it, key [hidden]\"}");
    }
}
