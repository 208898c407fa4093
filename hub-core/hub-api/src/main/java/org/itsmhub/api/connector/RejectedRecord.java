package org.itsmhub.api.connector;

import java.nio.charset.StandardCharsets;

/**
 * A record on a page that could not be decoded or mapped (a ticket without {@code updated_at}, an id
 * of the wrong type, an unreadable date, a {@code null} element, an oversized text). A connector
 * puts it in {@link Page#rejected()} instead of failing the whole page, so the rest of the page and
 * the cursor go on; the hub turns each one into a dead letter holding the raw body.
 *
 * <p>The raw body is kept up to {@value #MAX_RAW_BYTES} bytes of UTF-8 (64 KiB): enough to see
 * what is wrong, small enough that one hostile record cannot fill the store. {@link #rawSize()}
 * says how large it was.
 *
 * @param vendorId the record's id in the vendor system, or null when it cannot be told (a
 *                 {@code null} element, an id of the wrong type)
 * @param reason   why it was rejected, one line of at most {@value #MAX_REASON_CHARS} characters
 * @param raw      the record as the vendor sent it (e.g. its JSON), cut to {@value #MAX_RAW_BYTES}
 *                 bytes of UTF-8; never null
 * @param rawSize  the size of the whole raw record in bytes of UTF-8
 * @since 0.3
 */
public record RejectedRecord(String vendorId, String reason, String raw, long rawSize) {

    /** The most of a raw record kept, in bytes of UTF-8. */
    public static final int MAX_RAW_BYTES = 64 * 1024;
    /** The longest reason kept. */
    public static final int MAX_REASON_CHARS = 500;

    public RejectedRecord {
        if (vendorId != null && vendorId.isBlank()) {
            vendorId = null;
        }
        reason = oneLine(reason == null || reason.isBlank() ? "unreadable record" : reason);
        raw = raw == null ? "" : raw;
        if (utf8Length(raw) > MAX_RAW_BYTES) {
            throw new IllegalArgumentException("the raw record must be capped: use RejectedRecord.of");
        }
        if (rawSize < 0) {
            throw new IllegalArgumentException("rawSize must not be negative");
        }
    }

    /**
     * A rejected record from its whole raw text, which is measured and cut here.
     *
     * @param vendorId the vendor's id, or null when unknown
     * @param reason   why (the first line is kept)
     * @param raw      the whole raw record; null counts as the text {@code null}
     */
    public static RejectedRecord of(String vendorId, String reason, String raw) {
        String text = raw == null ? "null" : raw;
        return new RejectedRecord(vendorId, reason, cut(text, MAX_RAW_BYTES), utf8Length(text));
    }

    /** Whether {@link #raw()} is only the start of the record. */
    public boolean truncated() {
        return rawSize > utf8Length(raw);
    }

    /** The number of bytes a text takes in UTF-8, without encoding it (a rejected text may be huge). */
    public static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The longest start of {@code s} that fits in {@code maxBytes} of UTF-8, never splitting a character. */
    private static String cut(String s, int maxBytes) {
        if (s.length() <= maxBytes / 3 || utf8Length(s) <= maxBytes) {
            return s;
        }
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
            if (n + bytes > maxBytes) {
                break;
            }
            n += bytes;
            i += pair ? 2 : 1;
        }
        String kept = s.substring(0, i);
        assert kept.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
        return kept;
    }

    private static String oneLine(String s) {
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
}
