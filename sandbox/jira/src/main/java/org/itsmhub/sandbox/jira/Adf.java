package org.itsmhub.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Atlassian Document Format as the sandbox needs it: plain text in (what JSM's comment endpoint takes)
 * and out (what JSM's request and comment views show).
 */
final class Adf {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Adf() {
    }

    /** Plain text as ADF: paragraphs split on blank lines, hard breaks for single newlines. */
    static ObjectNode of(String text) {
        ObjectNode doc = JSON.createObjectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String para : text.split("\n\\s*\n")) {
            if (para.isBlank()) {
                continue;
            }
            ArrayNode inline = content.addObject().put("type", "paragraph").putArray("content");
            String[] lines = para.split("\n");
            for (int n = 0; n < lines.length; n++) {
                if (n > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[n].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[n]);
                }
            }
        }
        return doc;
    }

    /** Whether a value is an ADF document ({@code {"type":"doc", ...}}). */
    static boolean isDoc(JsonNode value) {
        return value != null && value.isObject() && "doc".equals(value.path("type").asText());
    }

    /** The text of a document: top-level blocks apart by a blank line, nested blocks by a newline. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : node.path("content")) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            append(block, out);
        }
        return out.toString();
    }

    private static void append(JsonNode node, StringBuilder out) {
        switch (node.path("type").asText()) {
            case "text" -> out.append(node.path("text").asText());
            case "hardBreak" -> out.append('\n');
            case "mention", "emoji" -> out.append(node.path("attrs").path("text").asText());
            case "inlineCard" -> out.append(node.path("attrs").path("url").asText());
            default -> {
                boolean blocks = false;
                int before = out.length();
                for (JsonNode child : node.path("content")) {
                    boolean block = !child.path("type").asText().matches("text|hardBreak|mention|emoji|inlineCard");
                    if (block && (blocks || out.length() > before)) {
                        out.append('\n');
                    }
                    blocks |= block;
                    append(child, out);
                }
            }
        }
    }
}
