package org.itsmhub.plugin.nessus;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Sits between a {@code .nessus} file and the XML parser and leaves out, undecoded, the part of each
 * {@code <plugin_output>} text that the importer would throw away: a plugin output can be megabytes
 * (whole file listings) and only its first {@link NessusFileParser#OUTPUT_PREFIX} characters are
 * kept, yet the parser would decode every byte of it. The parser asks how many characters were left
 * out of an element ({@link #droppedAt}), so the output's full length stays exact.
 *
 * <p>What is left out, so that the parser sees the same document with a shorter text: only plain
 * bytes (tab, line feed and printable ASCII other than {@code < & ]}: each exactly one character in
 * UTF-8 and every ASCII-compatible encoding, valid anywhere in text), only after the first
 * {@code keep} of them, and only when the byte before was plain too. So references, carriage
 * returns, non-ASCII bytes and anything invalid reach the parser unchanged and with the same
 * neighbours: the parser finds the same errors. Their line and column can differ, so the parser
 * reads the file again, uncut, to report a failure's exact position. Text of a
 * {@code <plugin_output>} with attributes or a prefix, comments, CDATA sections and processing
 * instructions are passed as they are; a DOCTYPE turns cutting off for the rest of the file.
 *
 * <p>Not thread-safe; one per parse.
 */
final class PluginOutputCutter extends InputStream {

    private static final byte[] OPEN = "<plugin_output>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT_OPEN = "<!--".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CDATA_OPEN = "<![CDATA[".getBytes(StandardCharsets.US_ASCII);
    private static final int LOOKAHEAD = OPEN.length;
    private static final long OPEN_0 = ByteBuffer.wrap(OPEN).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    private static final long OPEN_7 = ByteBuffer.wrap(OPEN).order(ByteOrder.LITTLE_ENDIAN).getLong(7);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int TEXT = 0;
    private static final int OUTPUT = 1;
    private static final int REFERENCE = 2;
    private static final int COMMENT = 3;
    private static final int CDATA = 4;
    private static final int PI = 5;
    private static final int OFF = 6;

    /** Bytes that are one character each wherever they stand: tab, line feed, printable ASCII except {@code < & ]}. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        PLAIN['\t'] = true;
        PLAIN['\n'] = true;
        for (int c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '<' && c != '&' && c != ']';
        }
    }

    private final InputStream in;
    private final int keep;
    private final byte[] buf;
    private int pos;
    private int end;
    private boolean eof;

    private int state = TEXT;
    /** Bytes of markup to pass as they are before looking at bytes again. */
    private int verbatim;
    /** Bytes handed to the parser so far: the parser's byte offsets. */
    private long emitted;
    private long outputStart;
    private int kept;
    private long dropped;
    private boolean cutAny;
    private boolean previousPlain;
    private int last1;
    private int last2;
    /** {offset of the start tag, characters left out}, in document order, until the parser asks. */
    private final ArrayDeque<long[]> cuts = new ArrayDeque<>();

    /**
     * @param in   the file
     * @param keep plain characters of each plugin output passed before any is left out
     */
    PluginOutputCutter(InputStream in, int keep) {
        this.in = in;
        this.keep = keep;
        this.buf = new byte[1 << 16];
    }

    /**
     * Characters left out of the {@code <plugin_output>} element whose start tag begins at byte
     * {@code offset} of the stream the parser read (0 when none); forgets every element before it.
     * Valid once the parser has read the element's text.
     */
    long droppedAt(long offset) {
        long[] cut;
        while ((cut = cuts.peekFirst()) != null && cut[0] <= offset) {
            cuts.pollFirst();
            if (cut[0] == offset) {
                return cut[1];
            }
        }
        return 0;
    }

    /** Whether anything was left out so far. */
    boolean cutAny() {
        return cutAny;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int start = off;
        int limit = off + len;
        while (off < limit) {
            if (pos >= end && !fill()) {
                break;
            }
            if (verbatim > 0) {
                int n = Math.min(verbatim, Math.min(end - pos, limit - off));
                off = copy(b, off, n);
                verbatim -= n;
                continue;
            }
            off = switch (state) {
                case TEXT -> text(b, off, limit);
                case OUTPUT -> output(b, off, limit);
                case REFERENCE -> reference(b, off, limit);
                case COMMENT, CDATA, PI -> markup(b, off, limit);
                default -> copy(b, off, Math.min(end - pos, limit - off));
            };
        }
        int n = off - start;
        return n == 0 && eof && pos >= end ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int text(byte[] b, int off, int limit) throws IOException {
        int max = Math.min(end, pos + (limit - off));
        int p = pos;
        while ((p = firstLt(buf, p, max)) < max) {
            if (p + LOOKAHEAD > end) {
                break; // too near the end of what was read to tell: refill below
            }
            byte next = buf[p + 1];
            if (next == '!' || next == '?' || next == 'p' && (long) LONGS.get(buf, p) == OPEN_0
                    && (long) LONGS.get(buf, p + 7) == OPEN_7) {
                break;
            }
            p++; // an ordinary tag
        }
        off = copy(b, off, p - pos);
        if (p == max) {
            return off;
        }
        if (end - pos < LOOKAHEAD && !eof) {
            compact();
            fillTo(LOOKAHEAD);
        }
        if (matches(OPEN)) {
            state = OUTPUT;
            outputStart = emitted;
            kept = 0;
            dropped = 0;
            previousPlain = false;
            verbatim = OPEN.length;
        } else if (matches(COMMENT_OPEN)) {
            markup(COMMENT, COMMENT_OPEN.length);
        } else if (matches(CDATA_OPEN)) {
            markup(CDATA, CDATA_OPEN.length);
        } else if (end - pos > 1 && buf[pos + 1] == '?') {
            markup(PI, 2);
        } else if (end - pos > 1 && buf[pos + 1] == '!') {
            state = OFF; // a DOCTYPE: entities could be declared; pass everything
        } else {
            verbatim = 1;
        }
        return off;
    }

    private void markup(int kind, int open) {
        state = kind;
        verbatim = open;
        last1 = 0;
        last2 = 0;
    }

    private int output(byte[] b, int off, int limit) {
        byte[] in = buf;
        int p = pos;
        int e = end;
        int o = off;
        while (p < e && o < limit) {
            if (kept < keep) {
                int lt = firstLt(in, p, Math.min(e, p + Math.min(limit - o, keep - kept)));
                if (lt < e && in[lt] == '<') { // the rest of the text is shorter than what is kept: passed whole
                    System.arraycopy(in, p, b, o, lt - p);
                    o += lt - p;
                    p = lt;
                    if (dropped > 0) {
                        cuts.addLast(new long[] {outputStart, dropped});
                    }
                    state = TEXT;
                    break;
                }
                int q = firstSpecial(in, p, Math.min(e, p + Math.min(limit - o, keep - kept)));
                if (q > p) {
                    System.arraycopy(in, p, b, o, q - p);
                    o += q - p;
                    kept += q - p;
                    p = q;
                    previousPlain = true;
                    continue;
                }
            } else if (previousPlain) {
                int q = firstSpecial(in, p, e); // the run of plain bytes that is left out
                if (q > p) {
                    dropped += q - p;
                    cutAny = true;
                    p = q;
                    if (q == e) {
                        break;
                    }
                }
            } else if (PLAIN[in[p] & 0xff]) {
                b[o++] = in[p++]; // passed: the byte before it was not plain
                previousPlain = true;
                continue;
            }
            byte c = in[p];
            if (c == '<') {
                if (dropped > 0) {
                    cuts.addLast(new long[] {outputStart, dropped});
                }
                state = TEXT;
                break;
            }
            b[o++] = c;
            p++;
            previousPlain = false;
            if (c == '&') {
                state = REFERENCE;
                break;
            }
        }
        emitted += o - off;
        pos = p;
        return o;
    }

    /** Index of the first byte in {@code [from, to)} that is not {@link #PLAIN}, or {@code to}. */
    private static int firstSpecial(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(a, i);
            // per byte, high bit = the byte is special; every sum stays below 0x100, so no carries between bytes
            long low = w & 0x7f7f7f7f7f7f7f7fL;
            long x = low ^ 0x0808080808080808L; // tab -> 1, line feed -> 2
            long tabOrLf = (x + 0x7f7f7f7f7f7f7f7fL) & ~(x + 0x7d7d7d7d7d7d7d7dL);
            long printableOrTabOrLf = (low + 0x6060606060606060L) | tabOrLf;
            long special = (w | ~printableOrTabOrLf | (low + 0x0101010101010101L) // 0x80 and above, controls, DEL
                    | is(low, 0x3c3c3c3c3c3c3c3cL) | is(low, 0x2626262626262626L) | is(low, 0x5d5d5d5d5d5d5d5dL))
                    & 0x8080808080808080L;
            if (special != 0) {
                return i + (Long.numberOfTrailingZeros(special) >>> 3);
            }
        }
        while (i < to && PLAIN[a[i] & 0xff]) {
            i++;
        }
        return i;
    }

    /** High bit set in exactly the bytes of {@code low} (each below 0x80) equal to those of {@code value}. */
    private static long is(long low, long value) {
        long t = low ^ value;
        return ~((t + 0x7f7f7f7f7f7f7f7fL) | t);
    }

    /** Index of the first {@code <} in {@code [from, to)}, or {@code to}. */
    private static int firstLt(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long lt = zero((long) LONGS.get(a, i) ^ 0x3c3c3c3c3c3c3c3cL) & 0x8080808080808080L;
            if (lt != 0) {
                return i + (Long.numberOfTrailingZeros(lt) >>> 3);
            }
        }
        while (i < to && a[i] != '<') {
            i++;
        }
        return i;
    }

    /**
     * High bit set in the lowest zero byte of {@code x} (and perhaps in higher bytes, which callers
     * ignore: they take the lowest).
     */
    private static long zero(long x) {
        return (x - 0x0101010101010101L) & ~x;
    }

    /** After {@code &}: the reference's name or number and its {@code ;} are passed whole. */
    private int reference(byte[] b, int off, int limit) {
        int p = pos;
        int max = Math.min(end, pos + (limit - off));
        while (p < max) {
            int c = buf[p];
            if (c == '<') {
                state = OUTPUT;
                break;
            }
            p++;
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#')) {
                state = OUTPUT; // ';', or whatever ends a malformed reference: passed, for the parser to judge
                previousPlain = false;
                break;
            }
        }
        return copy(b, off, p - pos);
    }

    /** Inside a comment, CDATA section or processing instruction: passed until its end. */
    private int markup(byte[] b, int off, int limit) {
        int p = pos;
        int max = Math.min(end, pos + (limit - off));
        while (p < max) {
            int c = buf[p++];
            if (c == '>' && (state == COMMENT && last1 == '-' && last2 == '-'
                    || state == CDATA && last1 == ']' && last2 == ']'
                    || state == PI && last1 == '?')) {
                state = TEXT;
                break;
            }
            last2 = last1;
            last1 = c;
        }
        return copy(b, off, p - pos);
    }

    private boolean matches(byte[] what) {
        if (end - pos < what.length) {
            return false;
        }
        for (int i = 1; i < what.length; i++) {
            if (buf[pos + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    private int copy(byte[] b, int off, int n) {
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        emitted += n;
        return off + n;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        pos = 0;
        end = 0;
        fillTo(1);
        return end > 0;
    }

    private void compact() {
        System.arraycopy(buf, pos, buf, 0, end - pos);
        end -= pos;
        pos = 0;
    }

    private void fillTo(int wanted) throws IOException {
        while (end - pos < wanted && !eof) {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
    }
}
