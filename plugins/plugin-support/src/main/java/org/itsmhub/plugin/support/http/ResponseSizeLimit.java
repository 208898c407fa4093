package org.itsmhub.plugin.support.http;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.api.config.ConfigDef;
import org.itsmhub.api.config.ConfigType;
import org.itsmhub.api.config.ConfigValidator;
import org.itsmhub.api.error.ConnectorException;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The largest answer one vendor call may bring: {@value #KEY}, a key every connection has (declared
 * with the {@code timeouts.*} keys by {@link HttpTimeouts#define}). A vendor that answers a page of
 * five with 300,000 records would otherwise fill the heap. The body is counted as it is read, never
 * buffered first: a {@code Content-Length} over the limit fails before any byte is read, a body
 * without one fails at the first byte past the limit. The call then fails with a
 * {@link ResponseTooLargeException}, which is not retried (the vendor would send the same again).
 *
 * <p>A call that streams its answer to a file instead of holding it (a scan export download) is
 * marked with {@link #streamedToFile} and not capped: its size costs disk, not memory.
 */
public final class ResponseSizeLimit implements Interceptor {

    public static final String KEY = "max.response.size";
    public static final String DEFAULT_TEXT = "32MiB";
    public static final long DEFAULT = 32L * 1024 * 1024;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kib|kb|mib|mb|gib|gb)?",
            Pattern.CASE_INSENSITIVE);

    static final ConfigValidator VALID = value -> {
        try {
            parse(String.valueOf(value));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    };

    /** The answer was larger than {@value #KEY} allows. */
    public static final class ResponseTooLargeException extends ConnectorException {
        public ResponseTooLargeException(String message) {
            super(message);
        }
    }

    /** The tag of a request whose answer is streamed to a file ({@link #streamedToFile}). */
    public static final class StreamedToFile {
        private static final StreamedToFile INSTANCE = new StreamedToFile();

        private StreamedToFile() {
        }
    }

    private final String vendor;
    private final long max;

    /** Marks a request whose answer the caller streams to a file, never into memory: it is not capped. */
    public static okhttp3.Request.Builder streamedToFile(okhttp3.Request.Builder request) {
        return request.tag(StreamedToFile.class, StreamedToFile.INSTANCE);
    }

    public ResponseSizeLimit(String vendor, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the response size limit must be positive");
        }
        this.vendor = vendor;
        this.max = maxBytes;
    }

    /** Adds {@value #KEY} to a connector's definition. */
    static ConfigDef define(ConfigDef def) {
        return def.defineOptional(KEY, ConfigType.STRING, DEFAULT_TEXT,
                "Largest answer the hub reads from one vendor call, in bytes or with a unit (512KiB, 32MiB, 1GiB);"
                        + " a larger answer fails that call (not retried) instead of filling the memory.", VALID);
    }

    /**
     * A size: a number of bytes, or with a unit {@code KiB}/{@code MiB}/{@code GiB} (binary) or
     * {@code KB}/{@code MB}/{@code GB} (taken as binary too: nobody means 1,000,000 here).
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a size such as 32MiB, 512KiB or a number of bytes, was '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kib", "kb" -> 1024L;
            case "mib", "mb" -> 1024L * 1024;
            case "gib", "gb" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n <= 0 || n > Long.MAX_VALUE / factor) {
            throw new IllegalArgumentException("must be a positive size, was '" + text + "'");
        }
        return n * factor;
    }

    /** A size as people read it: {@code 32 MiB}, {@code 1500 bytes}. */
    static String describe(long bytes) {
        if (bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + " GiB";
        }
        if (bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (chain.request().tag(StreamedToFile.class) != null) {
            return response;
        }
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > max) {
            response.close();
            throw tooLarge(chain, declared + " bytes");
        }
        return response.newBuilder().body(new Capped(body, chain)).build();
    }

    private ResponseTooLargeException tooLarge(Chain chain, String size) {
        return new ResponseTooLargeException(vendor + " answer to " + chain.request().method() + " "
                + chain.request().url().encodedPath() + " is larger than " + KEY + " (" + describe(max) + "): "
                + size + "; the call failed. Ask for smaller pages or raise " + KEY);
    }

    /** The body, counted as it is read. */
    private final class Capped extends ResponseBody {
        private final ResponseBody delegate;
        private final BufferedSource source;

        Capped(ResponseBody delegate, Chain chain) {
            this.delegate = delegate;
            this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
                private long total;

                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n = super.read(sink, byteCount);
                    if (n > 0) {
                        total += n;
                        if (total > max) {
                            throw tooLarge(chain, "more than " + describe(max) + " read");
                        }
                    }
                    return n;
                }
            });
        }

        @Override
        public MediaType contentType() {
            return delegate.contentType();
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }
}
