package org.itsmhub.sandbox.freshdesk;

import java.time.Clock;
import java.util.Arrays;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.sandbox.VendorSandboxProvider;

/**
 * {@code itsm-hub sandbox freshdesk}. The API key it accepts is {@code FRESHDESK_SANDBOX_API_KEY} from the
 * environment, else {@value FreshdeskSandbox#DEFAULT_API_KEY}; the account's custom ticket fields are
 * {@code FRESHDESK_SANDBOX_CUSTOM_FIELDS} (comma-separated), else {@link FreshdeskSandbox#DEFAULT_CUSTOM_FIELDS}.
 */
public final class FreshdeskSandboxProvider implements VendorSandboxProvider {

    @Override
    public String vendor() {
        return "freshdesk";
    }

    @Override
    public VendorSandbox create(SandboxOptions options) {
        String key = System.getenv("FRESHDESK_SANDBOX_API_KEY");
        String fields = System.getenv("FRESHDESK_SANDBOX_CUSTOM_FIELDS");
        return new FreshdeskSandbox(options, Clock.systemUTC(),
                key == null || key.isBlank() ? FreshdeskSandbox.DEFAULT_API_KEY : key,
                fields == null || fields.isBlank() ? FreshdeskSandbox.DEFAULT_CUSTOM_FIELDS
                        : Arrays.stream(fields.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList());
    }
}
