package org.itsmhub.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookBodyTest {

    @Test
    void aFreshdeskFormWithNestedKeysBecomesTheJsonItsJsonOptionSends() throws Exception {
        byte[] json = WebhookBody.normalize("application/x-www-form-urlencoded; charset=UTF-8",
                "freshdesk_webhook%5Bticket_id%5D=42&freshdesk_webhook[ticket_subject]=Printer+jams&tags[]=a&tags[]=b"
                        .getBytes(StandardCharsets.UTF_8)).body();

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
                "{\"freshdesk_webhook\":{\"ticket_id\":\"42\",\"ticket_subject\":\"Printer jams\"},\"tags\":[\"a\",\"b\"]}");
    }

    @Test
    void aFormWhoseKeysClashOrWhoseEncodingIsBrokenIsRefused() {
        assertThatThrownBy(() -> WebhookBody.formToJson("a=1&a[b]=2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookBody.formToJson("a=%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyJsonAndFormsAreTaken() {
        assertThatThrownBy(() -> WebhookBody.normalize("text/xml", new byte[0])).isInstanceOf(WebhookBody.UnsupportedType.class);
        assertThatThrownBy(() -> WebhookBody.normalize("multipart/form-data; boundary=x", new byte[0]))
                .isInstanceOf(WebhookBody.UnsupportedType.class);
    }
}
