/**
 * HTTP plumbing every OkHttp-based connector shares: {@link org.itsmhub.plugin.support.http.VendorHttpClients}
 * (one client per plugin, a variant per connection), {@link org.itsmhub.plugin.support.http.AuthInterceptors},
 * {@link org.itsmhub.plugin.support.http.RateLimitInterceptor} (client-side budget + the vendor's own
 * signals), {@link org.itsmhub.plugin.support.http.RedactingLoggingInterceptor} (never a credential in a log),
 * {@link org.itsmhub.plugin.support.http.TlsTrust} (the certificates a connection trusts, {@code tls.trust}),
 * {@link org.itsmhub.plugin.support.http.HttpErrorClassifier} and {@link org.itsmhub.plugin.support.http.HttpExecutor}.
 */
package org.itsmhub.plugin.support.http;
