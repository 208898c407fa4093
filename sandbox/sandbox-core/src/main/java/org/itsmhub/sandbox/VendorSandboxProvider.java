package org.itsmhub.sandbox;

/**
 * Makes a vendor sandbox known to {@code itsm-hub sandbox}: listed in
 * {@code META-INF/services/org.itsmhub.sandbox.VendorSandboxProvider} of the vendor's sandbox module.
 */
public interface VendorSandboxProvider {

    /** The vendor id used on the command line, the same as the plugin id, e.g. {@code freshdesk}. */
    String vendor();

    /** A new, not yet started sandbox. */
    VendorSandbox create(SandboxOptions options);
}
