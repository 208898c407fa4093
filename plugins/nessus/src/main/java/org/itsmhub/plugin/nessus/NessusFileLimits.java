package org.itsmhub.plugin.nessus;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Sits between a {@code .nessus} file and the XML parser and stops the read, with the byte offset,
 * as soon as the file exceeds one of the limits below. Aalto has no limits of its own: its name
 * table grows quadratically with distinct names (200,000 names: a minute), a start tag with
 * millions of attributes takes minutes, and an attribute value or a text is held whole, so a
 * hostile file could hang the importer or exhaust the heap. Real exports stay far below every
 * limit (the fixtures: under 100 distinct names, 7 attributes, 102-byte attribute values, depth 6,
 * texts under 1 MB).
 *
 * <p>It reads the raw bytes once, looking only at markup: text is skipped eight bytes at a time
 * up to the next {@code <}; inside tags it follows names and quoted values. Sizes are counted in
 * bytes of the file, so in characters a limit can only be met earlier. Only ASCII-compatible
 * encodings (UTF-8, what Nessus writes) can be followed this way: a file that starts in UTF-16 or
 * UTF-32 is refused.
 *
 * <p>Not thread-safe; one per parse.
 */
final class NessusFileLimits extends FilterInputStream {

    /** Distinct element and attribute names in one file. */
    static final int MAX_NAMES = 10_000;
    /** Bytes of one element or attribute name. */
    static final int MAX_NAME_LENGTH = 1_000;
    /** Attributes of one element. */
    static final int MAX_ATTRIBUTES = 1_000;
    /** Bytes of one attribute value. */
    static final int MAX_ATTRIBUTE_VALUE = 1 << 20;
    /** Bytes of one start or end tag, its attributes included. */
    static final int MAX_TAG = 4 << 20;
    /** Bytes between two element tags: a text, with any comments, CDATA sections and processing instructions in it. */
    static final long MAX_TEXT = 64L << 20;
    /** Elements open at once. */
    static final int MAX_DEPTH = 100;

    /** Where the file went over a limit: the byte offset of the construct that did, and which limit. */
    static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;
        final long offset;

        Exceeded(long offset, String reason) {
            super(reason);
            this.offset = offset;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int TEXT = 0;
    private static final int LT = 1;
    private static final int NAME = 2;
    private static final int IN_TAG = 3;
    private static final int VALUE = 4;
    private static final int END_TAG = 5;
    private static final int BANG = 6;
    private static final int COMMENT_OPEN = 7;
    private static final int COMMENT = 8;
    private static final int CDATA = 9;
    private static final int PI = 10;
    private static final int DOCTYPE = 11;

    private int state = TEXT;
    /** File offset of the next byte read. */
    private long offset;
    private long textStart;
    private long tagStart;
    private long valueStart;
    private long nameStart;
    private long text;
    private int depth;
    private int attributes;
    private boolean attributeName;
    private boolean selfClosing;
    private int quote;
    private int last1;
    private int last2;
    private int doctypeBrackets;
    private String element;

    private final byte[] name = new byte[MAX_NAME_LENGTH];
    private int nameLength;
    private int nameHash;
    private final Name probe = new Name(name);
    /** Every distinct name seen, to its text (for messages). */
    private final Map<Name, String> names = new HashMap<>();

    NessusFileLimits(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (offset == 0) {
                refuseWideEncodings(b, off, n);
            }
            scan(b, off, off + n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] skipped = new byte[(int) Math.min(n, 8192)];
        int read = read(skipped, 0, skipped.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * {@code LINE:COLUMN} of byte {@code offset} of {@code file}, as an XML parser counts them (CR LF,
     * CR and LF end a line; columns in characters, from 1). Read again only when a limit failed.
     */
    static String position(Path file, long offset) {
        long line = 1;
        long column = 1;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long at = 0;
            boolean cr = false;
            while (at < offset) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, offset - at));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    int c = buf[i];
                    if (c == '\n') {
                        if (!cr) {
                            line++;
                        }
                        column = 1;
                    } else if (c == '\r') {
                        line++;
                        column = 1;
                    } else if ((c & 0xc0) != 0x80) { // not a UTF-8 continuation byte
                        column++;
                    }
                    cr = c == '\r';
                }
                at += n;
            }
        } catch (IOException e) {
            return "1:1"; // the file went away since: the message still names the limit
        }
        return line + ":" + column;
    }

    private void refuseWideEncodings(byte[] b, int off, int n) throws Exceeded {
        if (n >= 2 && (b[off] == 0 || b[off + 1] == 0 || (b[off] & 0xff) == 0xfe && (b[off + 1] & 0xff) == 0xff
                || (b[off] & 0xff) == 0xff && (b[off + 1] & 0xff) == 0xfe)) {
            throw new Exceeded(0, "the file is in UTF-16 or UTF-32; .nessus files are read in UTF-8 "
                    + "(or another ASCII-compatible encoding)");
        }
    }

    private void scan(byte[] b, int from, int to) throws Exceeded {
        long base = offset - from; // file offset of b[0]
        offset += to - from;
        int p = from;
        while (p < to) {
            switch (state) {
                case TEXT -> {
                    int lt = firstLt(b, p, to);
                    text += lt - p;
                    if (text > MAX_TEXT) {
                        throw new Exceeded(textStart, "a text longer than " + size(MAX_TEXT));
                    }
                    p = lt;
                    if (p < to) {
                        tagStart = base + p;
                        state = LT;
                        p++;
                    }
                }
                case LT -> {
                    int c = b[p];
                    if (c == '/') {
                        state = END_TAG;
                        p++;
                    } else if (c == '!') {
                        state = BANG;
                        p++;
                    } else if (c == '?') {
                        startMarkup(PI);
                        p++;
                    } else {
                        if (++depth > MAX_DEPTH) {
                            throw new Exceeded(tagStart, "elements nested more than " + MAX_DEPTH + " deep");
                        }
                        attributes = 0;
                        selfClosing = false;
                        startName(base + p, false);
                    }
                }
                case NAME -> {
                    int q = p;
                    int h = nameHash;
                    int length = nameLength;
                    while (q < to && !ends(b[q])) {
                        if (length == MAX_NAME_LENGTH) {
                            throw new Exceeded(nameStart, "a name longer than " + number(MAX_NAME_LENGTH) + " bytes");
                        }
                        name[length++] = b[q];
                        h = 31 * h + b[q];
                        q++;
                    }
                    nameHash = h;
                    nameLength = length;
                    p = q;
                    if (q < to) {
                        endName();
                        state = IN_TAG;
                    }
                }
                case IN_TAG -> {
                    int c = b[p++];
                    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '=') {
                        continue;
                    }
                    if (c == '>') {
                        tagLength(base + p);
                        if (selfClosing) {
                            depth--;
                        }
                        endTag(base + p);
                    } else if (c == '"' || c == '\'') {
                        if (++attributes > MAX_ATTRIBUTES) {
                            throw new Exceeded(tagStart, "more than " + number(MAX_ATTRIBUTES)
                                    + " attributes on one element <" + element + ">");
                        }
                        quote = c;
                        valueStart = base + p - 1;
                        state = VALUE;
                    } else if (c == '/') {
                        selfClosing = true;
                    } else {
                        startName(base + p - 1, true);
                        p--;
                    }
                }
                case VALUE -> {
                    int q = p;
                    while (q < to && b[q] != quote) {
                        q++;
                    }
                    long length = base + q - valueStart - 1;
                    if (length > MAX_ATTRIBUTE_VALUE) {
                        throw new Exceeded(valueStart, "an attribute value longer than " + size(MAX_ATTRIBUTE_VALUE)
                                + " on <" + element + ">");
                    }
                    tagLength(base + q);
                    p = q;
                    if (q < to) {
                        p++;
                        state = IN_TAG;
                    }
                }
                case END_TAG -> {
                    int q = p;
                    while (q < to && b[q] != '>') {
                        q++;
                    }
                    tagLength(base + q);
                    p = q;
                    if (q < to) {
                        p++;
                        depth--;
                        endTag(base + p);
                    }
                }
                case BANG -> {
                    if (b[p] == '-') {
                        state = COMMENT_OPEN;
                        p++;
                    } else if (b[p] == '[') {
                        startMarkup(CDATA);
                        p++;
                    } else {
                        startMarkup(DOCTYPE);
                        doctypeBrackets = 0;
                        quote = 0;
                    }
                }
                case COMMENT_OPEN -> {
                    startMarkup(COMMENT); // the second '-' of "<!--" (or whatever the parser will refuse)
                    p++;
                }
                default -> p = markup(b, p, to, base);
            }
        }
        if (state == IN_TAG || state == NAME) {
            tagLength(base + to); // whitespace and names between attributes; values and end tags are checked as read
        }
    }

    /** Whether {@code c} ends a name. */
    private static boolean ends(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '/' || c == '>' || c == '=' || c == '"'
                || c == '\'';
    }

    private void startName(long at, boolean attribute) {
        state = NAME;
        attributeName = attribute;
        nameStart = at;
        nameLength = 0;
        nameHash = 0;
    }

    private void endName() throws Exceeded {
        probe.length = nameLength;
        probe.hash = nameHash;
        String known = names.get(probe);
        if (known == null) {
            if (names.size() == MAX_NAMES) {
                throw new Exceeded(nameStart, "more than " + number(MAX_NAMES)
                        + " distinct element and attribute names");
            }
            known = new String(name, 0, nameLength, StandardCharsets.UTF_8);
            Name key = new Name(Arrays.copyOf(name, nameLength));
            key.length = nameLength;
            key.hash = nameHash;
            names.put(key, known);
        }
        if (!attributeName) {
            element = known;
        }
    }

    private void tagLength(long at) throws Exceeded {
        if (at - tagStart > MAX_TAG) {
            throw new Exceeded(tagStart, "a tag longer than " + size(MAX_TAG)
                    + (element == null ? "" : " (<" + element + ">)"));
        }
    }

    private void endTag(long next) {
        state = TEXT;
        text = 0;
        textStart = next;
    }

    private void startMarkup(int kind) {
        state = kind;
        last1 = 0;
        last2 = 0;
    }

    /** Inside a comment, CDATA section, processing instruction or DOCTYPE: counted as text, until its end. */
    private int markup(byte[] b, int p, int to, long base) throws Exceeded {
        int start = p;
        boolean ended = false;
        while (p < to && !ended) {
            int c = b[p++];
            if (state == DOCTYPE) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '[') {
                    doctypeBrackets++;
                } else if (c == ']') {
                    doctypeBrackets--;
                } else if (c == '>' && doctypeBrackets <= 0) {
                    ended = true;
                }
            } else if (c == '>' && (state == COMMENT && last1 == '-' && last2 == '-'
                    || state == CDATA && last1 == ']' && last2 == ']' || state == PI && last1 == '?')) {
                ended = true;
            }
            last2 = last1;
            last1 = c;
        }
        text += p - start;
        if (text > MAX_TEXT) {
            throw new Exceeded(textStart, "a text longer than " + size(MAX_TEXT));
        }
        if (ended) {
            state = TEXT;
        }
        return p;
    }

    /** Index of the first {@code <} in {@code [from, to)}, or {@code to}. */
    private static int firstLt(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ 0x3c3c3c3c3c3c3c3cL;
            long lt = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (lt != 0) {
                return i + (Long.numberOfTrailingZeros(lt) >>> 3);
            }
        }
        while (i < to && a[i] != '<') {
            i++;
        }
        return i;
    }

    private static String size(long bytes) {
        return (bytes >> 20) + " MiB (" + number(bytes) + " bytes)";
    }

    private static String number(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /**
     * A name's bytes; comparable so that a file crafted for hash collisions only makes the map's
     * buckets trees, not lists.
     */
    private static final class Name implements Comparable<Name> {
        private final byte[] bytes;
        int length;
        int hash;

        Name(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Name n && Arrays.equals(bytes, 0, length, n.bytes, 0, n.length);
        }

        @Override
        public int compareTo(Name n) {
            return Arrays.compare(bytes, 0, length, n.bytes, 0, n.length);
        }
    }
}
