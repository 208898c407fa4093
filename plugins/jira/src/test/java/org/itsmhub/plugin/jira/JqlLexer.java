package org.itsmhub.plugin.jira;

import java.util.ArrayList;
import java.util.List;

/** A test-side reading of JQL string literals, independent of the production escaping code. */
final class JqlLexer {

    private JqlLexer() {
    }

    /** The unescaped values of every double-quoted literal, in order; fails on an unterminated one. */
    static List<String> stringLiterals(String jql) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < jql.length()) {
            char c = jql.charAt(i);
            if (c != '"') {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < jql.length()) {
                char d = jql.charAt(i);
                if (d == '\\' && i + 1 < jql.length()) {
                    char e = jql.charAt(i + 1);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                    i += 2;
                } else if (d == '"') {
                    closed = true;
                    i++;
                    break;
                } else {
                    sb.append(d);
                    i++;
                }
            }
            if (!closed) {
                throw new AssertionError("unterminated string literal in JQL: " + jql);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
