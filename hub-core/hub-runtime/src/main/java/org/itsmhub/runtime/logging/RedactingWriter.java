package org.itsmhub.runtime.logging;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * A writer that masks each line before passing it on: command output, where a vendor's error can
 * quote the credentials the hub sent. Holds back an unfinished line until its end or a flush, so a
 * secret written in pieces is still masked whole.
 */
public final class RedactingWriter extends Writer {

    private final Writer target;
    private final UnaryOperator<String> redaction;
    private final StringBuilder line = new StringBuilder();

    private RedactingWriter(Writer target, UnaryOperator<String> redaction) {
        this.target = target;
        this.redaction = redaction;
    }

    /** {@code target} with every line passed through {@code redaction}. */
    public static PrintWriter wrap(PrintWriter target, UnaryOperator<String> redaction) {
        return new PrintWriter(new RedactingWriter(target, redaction), true);
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            line.append(chars[i]);
            if (chars[i] == '\n') {
                emit();
            }
        }
    }

    private void emit() {
        if (line.length() > 0) {
            try {
                target.write(redaction.apply(line.toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            line.setLength(0);
        }
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
        emit();
        target.flush();
    }

    @Override
    public synchronized void close() throws java.io.IOException {
        flush();
    }
}
