package org.itsmhub.runtime.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback {@code %xEx} with secrets masked in exception messages; see {@link LogRedaction}. */
public final class RedactingThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return LogRedaction.redact(super.throwableProxyToString(tp));
    }
}
