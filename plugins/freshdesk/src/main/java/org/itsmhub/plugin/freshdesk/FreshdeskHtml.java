package org.itsmhub.plugin.freshdesk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text to the HTML Freshdesk stores in ticket descriptions and conversation bodies, and back.
 *
 * <p>Text to HTML: a blank line starts a paragraph ({@code <p>}), a line break inside one is a
 * {@code <br>}, a paragraph whose lines all start with {@code - } or {@code * } is a bulleted list,
 * one whose lines all start with {@code 1. } / {@code 1) } a numbered list, web addresses become
 * links, and everything else is escaped. HTML to text undoes that for what the hub wrote, and reads
 * what Freshdesk's editor and e-mail produce ({@code <div>} per line, nested {@code <div>}s,
 * {@code <b>}, entities, links as {@code text (address)}), so a comment keeps its lines on the way
 * through. Characters the HTML does not interpret (zero-width characters included) pass through
 * unchanged both ways.
 */
final class FreshdeskHtml {

    private static final Pattern BLANK_LINES = Pattern.compile("\n[ \t]*\n\\s*");
    private static final Pattern BULLET = Pattern.compile("^[-*] +(.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^\\d{1,3}[.)] +(.*)$");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"']+[^\\s<>\"'.,;:!?)\\]]");
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->|<![^>]*>",
            Pattern.DOTALL);
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", "\u00A0", "ndash", "\u2013", "mdash", "\u2014", "hellip", "\u2026", "rsquo", "\u2019");
    /** Elements that end a paragraph: a blank line in text. */
    private static final Set<String> PARAGRAPHS = Set.of("p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2",
            "h3", "h4", "h5", "h6");
    /** Elements that end a line. */
    private static final Set<String> LINES = Set.of("div", "li", "tr", "dd", "dt", "hr");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title");

    private FreshdeskHtml() {
    }

    /** {@code text} as Freshdesk HTML; null stays null. */
    static String toHtml(String text) {
        if (text == null) {
            return null;
        }
        String normal = text.replace("\r\n", "\n").replace('\r', '\n').strip();
        StringBuilder html = new StringBuilder(normal.length() + 32);
        for (String paragraph : BLANK_LINES.split(normal)) {
            List<String> lines = paragraph.lines().map(String::stripTrailing).toList();
            if (lines.isEmpty()) {
                continue;
            }
            if (lines.stream().allMatch(l -> BULLET.matcher(l).matches())) {
                list(html, "ul", lines, BULLET);
            } else if (lines.stream().allMatch(l -> NUMBERED.matcher(l).matches()) && lines.size() > 1) {
                list(html, "ol", lines, NUMBERED);
            } else {
                html.append("<p>");
                for (int i = 0; i < lines.size(); i++) {
                    html.append(i == 0 ? "" : "<br>").append(inline(lines.get(i)));
                }
                html.append("</p>");
            }
        }
        return html.toString();
    }

    private static void list(StringBuilder html, String tag, List<String> lines, Pattern item) {
        html.append('<').append(tag).append('>');
        for (String line : lines) {
            Matcher m = item.matcher(line);
            m.matches();
            html.append("<li>").append(inline(m.group(1))).append("</li>");
        }
        html.append("</").append(tag).append('>');
    }

    /** One line: escaped, with its web addresses as links. */
    private static String inline(String line) {
        StringBuilder sb = new StringBuilder();
        Matcher m = URL.matcher(line);
        int at = 0;
        while (m.find()) {
            sb.append(escape(line.substring(at, m.start())));
            String url = escape(m.group());
            sb.append("<a href=\"").append(url).append("\">").append(url).append("</a>");
            at = m.end();
        }
        return sb.append(escape(line.substring(at))).toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A Freshdesk HTML body as plain text; null stays null. */
    static String toText(String html) {
        if (html == null) {
            return null;
        }
        Text out = new Text();
        Deque<String> lists = new ArrayDeque<>();
        Deque<Integer> numbers = new ArrayDeque<>();
        Deque<String> hrefs = new ArrayDeque<>();
        int pre = 0;
        String skipping = null;
        Matcher m = TAG.matcher(html);
        int at = 0;
        while (m.find()) {
            if (skipping == null) {
                out.text(html.substring(at, m.start()), pre > 0);
            }
            at = m.end();
            if (m.group(2) == null) {
                continue; // a comment or a doctype
            }
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean closing = !m.group(1).isEmpty();
            if (skipping != null) {
                if (closing && name.equals(skipping)) {
                    skipping = null;
                }
                continue;
            }
            if (SKIPPED.contains(name) && !closing && !m.group(3).endsWith("/")) {
                skipping = name;
                continue;
            }
            switch (name) {
                case "br" -> out.lineBreak();
                case "pre" -> {
                    pre = closing ? Math.max(0, pre - 1) : pre + 1;
                    out.endParagraph();
                }
                case "ul", "ol" -> {
                    if (closing) {
                        lists.poll();
                        numbers.poll();
                    } else {
                        lists.push(name);
                        numbers.push(0);
                    }
                    if (lists.isEmpty() || (!closing && lists.size() == 1)) {
                        out.endParagraph();
                    } else {
                        out.endLine(); // a list inside a list item
                    }
                }
                case "li" -> {
                    if (!closing) {
                        out.endLine();
                        if ("ol".equals(lists.peek())) {
                            int n = numbers.pop() + 1;
                            numbers.push(n);
                            out.raw("  ".repeat(Math.max(0, lists.size() - 1)) + n + ". ");
                        } else {
                            out.raw("  ".repeat(Math.max(0, lists.size() - 1)) + "- ");
                        }
                    }
                }
                case "a" -> {
                    if (closing) {
                        String href = hrefs.isEmpty() ? "" : hrefs.pop();
                        if (!href.isEmpty() && !out.endsWith(href) && !href.startsWith("mailto:")) {
                            out.raw(" (" + href + ")");
                        }
                    } else {
                        Matcher h = HREF.matcher(m.group(3));
                        hrefs.push(h.find() ? decode(h.group(1) != null ? h.group(1)
                                : h.group(2) != null ? h.group(2) : h.group(3)) : "");
                    }
                }
                default -> {
                    if (PARAGRAPHS.contains(name)) {
                        out.endParagraph();
                    } else if (LINES.contains(name)) {
                        out.endLine();
                    }
                }
            }
        }
        if (skipping == null) {
            out.text(html.substring(at), pre > 0);
        }
        return out.toString();
    }

    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r;
            if (e.startsWith("#x") || e.startsWith("#X")) {
                r = codePoint(Integer.parseInt(e.substring(2), 16));
            } else if (e.startsWith("#")) {
                r = codePoint(Integer.parseInt(e.substring(1)));
            } else {
                r = ENTITIES.get(e.toLowerCase(Locale.ROOT));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(r == null ? m.group() : r));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String codePoint(int cp) {
        return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
    }

    /** The text being built: HTML white space collapsed, at most one blank line in a row. */
    private static final class Text {
        private final StringBuilder sb = new StringBuilder();
        /** Line breaks owed before the next text: 1 = new line, 2 = new paragraph. */
        private int owed;
        private boolean space;

        void text(String raw, boolean pre) {
            if (raw.isEmpty()) {
                return;
            }
            String s = decode(raw);
            if (pre) {
                flush();
                sb.append(s.replace("\r\n", "\n"));
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                    space = true;
                } else {
                    if (ch == '\u00A0') {
                        ch = ' ';
                    }
                    if (space && owed == 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n'
                            && sb.charAt(sb.length() - 1) != ' ') {
                        sb.append(' ');
                    }
                    space = false;
                    flush();
                    sb.append(ch);
                }
            }
        }

        void raw(String s) {
            flush();
            space = false;
            sb.append(s);
        }

        boolean endsWith(String s) {
            return sb.toString().endsWith(s);
        }

        void lineBreak() {
            // a <br> is a line break even on an empty line: it is the only way to write a blank line
            if (owed >= 1 || sb.length() == 0) {
                owed = Math.min(2, owed + 1);
            } else {
                owed = 1;
            }
            space = false;
        }

        void endLine() {
            owed = Math.max(owed, sb.length() == 0 ? 0 : 1);
            space = false;
        }

        void endParagraph() {
            owed = sb.length() == 0 ? 0 : 2;
            space = false;
        }

        private void flush() {
            if (owed > 0 && sb.length() > 0) {
                sb.append(owed >= 2 ? "\n\n" : "\n");
            }
            owed = 0;
        }

        @Override
        public String toString() {
            return sb.toString().lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("").strip();
        }
    }
}
