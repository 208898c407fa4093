package org.itsmhub.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void replacesEverySecretWithHidden() {
        assertThat(SecretRedactor.redact("user=bot token=abcd1234 again abcd1234", List.of("abcd1234")))
                .isEqualTo("user=bot token=[hidden] again [hidden]");
    }

    @Test
    void secretThatContainsAnotherIsMaskedWhole() {
        assertThat(SecretRedactor.redact("Bearer abcd1234", List.of("abcd", "abcd1234"))).isEqualTo("Bearer [hidden]");
    }

    @Test
    void valuesShorterThanFourCharactersAreNotMasked() {
        SecretRedactor redactor = new SecretRedactor(List.of("abc", "", "abcd"));

        assertThat(redactor.secretValues()).containsExactly("abcd");
        assertThat(redactor.redact("abc abcd")).isEqualTo("abc [hidden]");
    }

    @Test
    void toStringShowsHowManyValuesNeverWhich() {
        assertThat(new SecretRedactor(List.of("abcd1234", "efgh5678"))).hasToString("SecretRedactor[2 values]");
    }
}
