/**
 * The sandbox engine: {@link org.itsmhub.sandbox.VendorSandbox} (an embedded WireMock server on
 * loopback handing each request to a stateful vendor handler, with optional latency, faults and a
 * rate limit), {@link org.itsmhub.sandbox.VendorSandboxProvider} (how vendor sandboxes are found) and
 * {@link org.itsmhub.sandbox.SandboxCommand} ({@code itsm-hub sandbox VENDOR}).
 */
package org.itsmhub.sandbox;
