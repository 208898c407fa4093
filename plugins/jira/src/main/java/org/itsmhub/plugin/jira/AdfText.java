package org.itsmhub.plugin.jira;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Atlassian Document Format ↔ plain text, keeping what a plain-text ticket can carry: paragraphs
 * (blank line between), bullet and ordered lists ({@code - item}, {@code 1. item}, nested by two
 * spaces), hard breaks (a single newline) and links (bare URLs; a link whose text differs from its
 * target reads {@code text (url)}). Other formatting (bold, colours, panels) is dropped on read.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
final class AdfText {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]]");
    private static final Pattern BULLET = Pattern.compile("^( *)[-*] (.*)$");
    private static final Pattern ORDERED = Pattern.compile("^( *)(\\d+)[.)] (.*)$");

    private AdfText() {
    }

    // ---------------------------------------------------------------- ADF -> text

    /** Plain text of an ADF document; a JSON string (as in some examples) is returned as is; null stays null. */
    static String toText(JsonNode doc) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return null;
        }
        if (doc.isTextual()) {
            return doc.asText();
        }
        List<String> blocks = new ArrayList<>();
        for (JsonNode block : doc.path("content")) {
            String text = block(block, 0);
            if (!text.isEmpty()) {
                blocks.add(text);
            }
        }
        return String.join("\n\n", blocks);
    }

    private static String block(JsonNode node, int depth) {
        String type = node.path("type").asText();
        switch (type) {
            case "bulletList":
            case "orderedList": {
                List<String> lines = new ArrayList<>();
                int n = node.path("attrs").path("order").asInt(1);
                for (JsonNode item : node.path("content")) {
                    String marker = type.equals("bulletList") ? "- " : (n++) + ". ";
                    lines.add(listItem(item, depth, marker));
                }
                return String.join("\n", lines);
            }
            case "rule":
                return "---";
            case "blockquote": {
                List<String> parts = new ArrayList<>();
                for (JsonNode child : node.path("content")) {
                    parts.add(block(child, depth));
                }
                return "> " + String.join("\n\n", parts).replace("\n", "\n> ");
            }
            case "table": {
                List<String> rows = new ArrayList<>();
                for (JsonNode row : node.path("content")) {
                    List<String> cells = new ArrayList<>();
                    for (JsonNode cell : row.path("content")) {
                        cells.add(children(cell, depth).replace("\n", " "));
                    }
                    rows.add(String.join(" | ", cells));
                }
                return String.join("\n", rows);
            }
            case "paragraph":
            case "heading":
            case "codeBlock":
                return inline(node);
            default:
                return node.has("content") ? children(node, depth) : inlineNode(node);
        }
    }

    private static String children(JsonNode node, int depth) {
        List<String> parts = new ArrayList<>();
        for (JsonNode child : node.path("content")) {
            String t = block(child, depth);
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        return String.join("\n", parts);
    }

    private static String listItem(JsonNode item, int depth, String marker) {
        String indent = "  ".repeat(depth);
        List<String> parts = new ArrayList<>();
        for (JsonNode child : item.path("content")) {
            String type = child.path("type").asText();
            if (type.equals("bulletList") || type.equals("orderedList")) {
                parts.add(block(child, depth + 1));
            } else {
                String text = block(child, depth);
                parts.add(parts.isEmpty() ? indent + marker + text.replace("\n", "\n" + indent + "  ")
                        : indent + "  " + text.replace("\n", "\n" + indent + "  "));
            }
        }
        if (parts.isEmpty()) {
            parts.add(indent + marker.strip());
        }
        return String.join("\n", parts);
    }

    private static String inline(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode child : node.path("content")) {
            sb.append(inlineNode(child));
        }
        return sb.toString();
    }

    private static String inlineNode(JsonNode node) {
        JsonNode attrs = node.path("attrs");
        switch (node.path("type").asText()) {
            case "text": {
                String text = node.path("text").asText("");
                for (JsonNode mark : node.path("marks")) {
                    if (mark.path("type").asText().equals("link")) {
                        String href = mark.path("attrs").path("href").asText("");
                        if (!href.isEmpty() && !href.equals(text)) {
                            return text + " (" + href + ")";
                        }
                    }
                }
                return text;
            }
            case "hardBreak":
                return "\n";
            case "mention":
                return attrs.path("text").asText("");
            case "emoji":
                return attrs.has("text") ? attrs.path("text").asText() : attrs.path("shortName").asText("");
            case "inlineCard":
                return attrs.path("url").asText("");
            case "date":
                return attrs.path("timestamp").asText("");
            case "status":
                return attrs.path("text").asText("");
            default:
                return node.has("content") ? inline(node) : node.path("text").asText("");
        }
    }

    // ---------------------------------------------------------------- text -> ADF

    /** An ADF document ({@code {"type":"doc","version":1,...}}) for plain text; null stays null. */
    static ObjectNode fromText(String text) {
        if (text == null) {
            return null;
        }
        ObjectNode doc = NODES.objectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        for (String para : normalised.split("\n\\s*\n")) {
            if (para.isBlank()) {
                continue;
            }
            appendBlocks(content, para.lines().toList());
        }
        return doc;
    }

    private static void appendBlocks(ArrayNode content, List<String> lines) {
        List<String> plain = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (isListLine(line)) {
                flushParagraph(content, plain);
                int end = i;
                while (end < lines.size() && (isListLine(lines.get(end)) || lines.get(end).startsWith("  "))) {
                    end++;
                }
                content.add(list(lines.subList(i, end), indentOf(line)));
                i = end;
            } else {
                plain.add(line);
                i++;
            }
        }
        flushParagraph(content, plain);
    }

    private static boolean isListLine(String line) {
        return BULLET.matcher(line).matches() || ORDERED.matcher(line).matches();
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** A list from lines at {@code indent}; deeper lines nest into the preceding item. */
    private static ObjectNode list(List<String> lines, int indent) {
        Matcher first = ORDERED.matcher(lines.get(0));
        boolean ordered = first.matches();
        ObjectNode list = NODES.objectNode().put("type", ordered ? "orderedList" : "bulletList");
        if (ordered && !first.group(2).equals("1")) {
            list.putObject("attrs").put("order", Integer.parseInt(first.group(2)));
        }
        ArrayNode items = list.putArray("content");
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher m = ordered ? ORDERED.matcher(line) : BULLET.matcher(line);
            String itemText = m.matches() && indentOf(line) == indent ? m.group(m.groupCount()) : line.strip();
            ObjectNode item = items.addObject().put("type", "listItem");
            ArrayNode itemContent = item.putArray("content");
            itemContent.add(paragraph(List.of(itemText)));
            int end = i + 1;
            while (end < lines.size() && indentOf(lines.get(end)) > indent) {
                end++;
            }
            if (end > i + 1) {
                List<String> nested = lines.subList(i + 1, end);
                if (isListLine(nested.get(0))) {
                    itemContent.add(list(nested, indentOf(nested.get(0))));
                } else {
                    itemContent.add(paragraph(nested.stream().map(String::strip).toList()));
                }
            }
            i = end;
        }
        return list;
    }

    private static void flushParagraph(ArrayNode content, List<String> lines) {
        if (!lines.isEmpty()) {
            content.add(paragraph(lines));
            lines.clear();
        }
    }

    private static ObjectNode paragraph(List<String> lines) {
        ObjectNode p = NODES.objectNode().put("type", "paragraph");
        ArrayNode inline = p.putArray("content");
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                inline.addObject().put("type", "hardBreak");
            }
            appendText(inline, lines.get(i));
        }
        return p;
    }

    private static void appendText(ArrayNode inline, String line) {
        Matcher m = URL.matcher(line);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                inline.addObject().put("type", "text").put("text", line.substring(at, m.start()));
            }
            ObjectNode link = inline.addObject().put("type", "text").put("text", m.group());
            link.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", m.group());
            at = m.end();
        }
        if (at < line.length()) {
            inline.addObject().put("type", "text").put("text", line.substring(at));
        }
    }
}
