package org.itsmhub.sandbox.jira;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JQL subset the sandbox understands: clauses {@code field op value} joined with AND / OR / NOT
 * and parentheses, then {@code ORDER BY}. Fields: project, key, summary, description, status,
 * statusCategory, priority, labels, created, updated, assignee, reporter and {@code cf[N]}.
 * Operators: = != ~ !~ > >= < <= IN, NOT IN, IS [NOT] EMPTY. String literals in double quotes with
 * Jira's backslash escapes. A field it does not know or a syntax error fails like Jira does (400).
 */
final class JqlQuery {

    /** A JQL Jira would refuse; the message is Jira's wording where known. */
    static final class JqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JqlException(String message) {
            super(message);
        }
    }

    private static final DateTimeFormatter[] DATE_TIMES = {
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"), DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm")};
    private static final DateTimeFormatter[] DATES = {
        DateTimeFormatter.ofPattern("yyyy-MM-dd"), DateTimeFormatter.ofPattern("yyyy/MM/dd")};

    final Predicate<JiraIssue> where;
    final Comparator<JiraIssue> order;

    private JqlQuery(Predicate<JiraIssue> where, Comparator<JiraIssue> order) {
        this.where = where;
        this.order = order;
    }

    static JqlQuery parse(String jql, ZoneId zone) {
        return new Parser(tokens(jql), zone).query();
    }

    // ------------------------------------------------------------------ tokens

    private record Token(String text, boolean string) {
        boolean is(String word) {
            return !string && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokens(String jql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < jql.length()) {
            char c = jql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < jql.length()) {
                    char d = jql.charAt(j);
                    if (d == '\\' && j + 1 < jql.length()) {
                        char e = jql.charAt(j + 1);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                        j += 2;
                    } else if (d == c) {
                        closed = true;
                        j++;
                        break;
                    } else {
                        sb.append(d);
                        j++;
                    }
                }
                if (!closed) {
                    throw new JqlException("Error in the JQL Query: The quoted string '" + sb
                            + "' has not been completed. (line 1, character " + (i + 1) + ")");
                }
                out.add(new Token(sb.toString(), true));
                i = j;
            } else if ("()=,~".indexOf(c) >= 0) {
                out.add(new Token(String.valueOf(c), false));
                i++;
            } else if (c == '!' || c == '<' || c == '>') {
                if (i + 1 < jql.length() && (jql.charAt(i + 1) == '=' || jql.charAt(i + 1) == '~')) {
                    out.add(new Token(jql.substring(i, i + 2), false));
                    i += 2;
                } else {
                    out.add(new Token(String.valueOf(c), false));
                    i++;
                }
            } else {
                int j = i;
                while (j < jql.length() && !Character.isWhitespace(jql.charAt(j))
                        && "()=,~!<>\"'".indexOf(jql.charAt(j)) < 0) {
                    j++;
                }
                out.add(new Token(jql.substring(i, j), false));
                i = j;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        private final List<Token> tokens;
        private final ZoneId zone;
        private int at;

        Parser(List<Token> tokens, ZoneId zone) {
            this.tokens = tokens;
            this.zone = zone;
        }

        JqlQuery query() {
            Predicate<JiraIssue> where = i -> true;
            if (!atEnd() && !peek().is("ORDER")) {
                where = or();
            }
            Comparator<JiraIssue> order = Comparator.comparing(JiraIssue::createdAt).reversed();
            if (!atEnd() && peek().is("ORDER")) {
                next();
                expect("BY");
                order = null;
                do {
                    Comparator<JiraIssue> one = sortKey(next());
                    if (!atEnd() && (peek().is("ASC") || peek().is("DESC"))) {
                        if (next().is("DESC")) {
                            one = one.reversed();
                        }
                    }
                    order = order == null ? one : order.thenComparing(one);
                } while (!atEnd() && peek().text().equals(",") && next() != null);
            }
            if (!atEnd()) {
                throw error("Expecting either 'OR' or 'AND' but got '" + peek().text() + "'.");
            }
            return new JqlQuery(where, order);
        }

        private Comparator<JiraIssue> sortKey(Token field) {
            String f = field.text().toLowerCase(Locale.ROOT);
            return switch (f) {
                case "updated", "updateddate" -> Comparator.comparing(JiraIssue::updatedAt);
                case "created", "createddate" -> Comparator.comparing(JiraIssue::createdAt);
                case "key", "issuekey", "id" -> Comparator.comparing(JiraIssue::project)
                        .thenComparingLong(JiraIssue::number);
                default -> throw error("Not able to sort using field '" + field.text() + "'.");
            };
        }

        private Predicate<JiraIssue> or() {
            Predicate<JiraIssue> left = and();
            while (!atEnd() && peek().is("OR")) {
                next();
                left = left.or(and());
            }
            return left;
        }

        private Predicate<JiraIssue> and() {
            Predicate<JiraIssue> left = not();
            while (!atEnd() && peek().is("AND")) {
                next();
                left = left.and(not());
            }
            return left;
        }

        private Predicate<JiraIssue> not() {
            if (!atEnd() && peek().is("NOT")) {
                next();
                return not().negate();
            }
            if (!atEnd() && peek().text().equals("(") && !peek().string()) {
                next();
                Predicate<JiraIssue> inner = or();
                expect(")");
                return inner;
            }
            return clause();
        }

        private Predicate<JiraIssue> clause() {
            Token fieldToken = next();
            Function<JiraIssue, List<String>> field = field(fieldToken);
            boolean dateField = fieldToken.text().equalsIgnoreCase("updated") || fieldToken.text().equalsIgnoreCase("created");
            Token op = next();
            String o = op.text().toUpperCase(Locale.ROOT);
            if (o.equals("IS")) {
                boolean negate = !atEnd() && peek().is("NOT") && next() != null;
                Token v = next();
                if (!(v.is("EMPTY") || v.is("NULL"))) {
                    throw error("Expecting 'EMPTY' or 'NULL' but got '" + v.text() + "'.");
                }
                Predicate<JiraIssue> empty = i -> field.apply(i).isEmpty();
                return negate ? empty.negate() : empty;
            }
            if (o.equals("IN") || (o.equals("NOT") && !atEnd() && peek().is("IN") && next() != null)) {
                boolean negate = o.equals("NOT");
                List<String> values = list();
                Predicate<JiraIssue> in = i -> field.apply(i).stream().anyMatch(v -> values.stream().anyMatch(v::equalsIgnoreCase));
                return negate ? in.negate() : in;
            }
            Token value = next();
            if (value.is("EMPTY") || value.is("NULL")) {
                Predicate<JiraIssue> empty = i -> field.apply(i).isEmpty();
                return o.equals("!=") ? empty.negate() : empty;
            }
            String v = value.text();
            if (dateField && (o.startsWith(">") || o.startsWith("<") || o.equals("=") || o.equals("!="))) {
                Instant bound = instant(v);
                Function<JiraIssue, Instant> time = fieldToken.text().equalsIgnoreCase("updated")
                        ? JiraIssue::updatedAt : JiraIssue::createdAt;
                return switch (o) {
                    case ">=" -> i -> !time.apply(i).isBefore(bound);
                    case ">" -> i -> time.apply(i).isAfter(bound);
                    case "<=" -> i -> !time.apply(i).isAfter(bound);
                    case "<" -> i -> time.apply(i).isBefore(bound);
                    case "=" -> i -> time.apply(i).equals(bound);
                    default -> i -> !time.apply(i).equals(bound);
                };
            }
            return switch (o) {
                case "=" -> i -> field.apply(i).stream().anyMatch(x -> x.equalsIgnoreCase(v));
                case "!=" -> i -> field.apply(i).stream().noneMatch(x -> x.equalsIgnoreCase(v));
                case "~" -> i -> field.apply(i).stream().anyMatch(x -> x.toLowerCase(Locale.ROOT)
                        .contains(v.toLowerCase(Locale.ROOT)));
                case "!~" -> i -> field.apply(i).stream().noneMatch(x -> x.toLowerCase(Locale.ROOT)
                        .contains(v.toLowerCase(Locale.ROOT)));
                default -> throw error("The operator '" + op.text() + "' is not supported by the '"
                        + fieldToken.text() + "' field.");
            };
        }

        private List<String> list() {
            expect("(");
            List<String> values = new ArrayList<>();
            do {
                values.add(next().text());
            } while (!atEnd() && peek().text().equals(",") && next() != null);
            expect(")");
            return values;
        }

        private Function<JiraIssue, List<String>> field(Token token) {
            String name = token.text().toLowerCase(Locale.ROOT);
            if (name.matches("cf\\[\\d+]")) {
                String id = "customfield_" + name.substring(3, name.length() - 1);
                return i -> i.customText(id);
            }
            if (name.matches("customfield_\\d+")) {
                return i -> i.customText(name);
            }
            return switch (name) {
                case "project" -> JiraIssue::projectValues;
                case "key", "issuekey", "id" -> i -> List.of(i.key(), i.id());
                case "summary" -> i -> i.text("summary");
                case "description", "text" -> i -> i.text("description");
                case "status" -> i -> i.named("status");
                case "statuscategory" -> i -> i.statusCategory();
                case "priority" -> i -> i.named("priority");
                case "resolution" -> i -> i.named("resolution");
                case "labels" -> JiraIssue::labels;
                case "assignee" -> i -> i.user("assignee");
                case "reporter" -> i -> i.user("reporter");
                case "updated", "created" -> i -> List.of(name);
                default -> throw new JqlException("Field '" + token.text()
                        + "' does not exist or you do not have permission to view it.");
            };
        }

        private Instant instant(String text) {
            for (DateTimeFormatter f : DATE_TIMES) {
                try {
                    return LocalDateTime.parse(text, f).atZone(zone).toInstant();
                } catch (DateTimeParseException next) {
                    // try the next format
                }
            }
            for (DateTimeFormatter f : DATES) {
                try {
                    return LocalDate.parse(text, f).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException next) {
                    // try the next format
                }
            }
            throw new JqlException("Date value '" + text + "' for field 'updated' is invalid. Valid formats include: "
                    + "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
        }

        private boolean atEnd() {
            return at >= tokens.size();
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token next() {
            if (atEnd()) {
                throw error("Expecting more of the query but reached its end.");
            }
            return tokens.get(at++);
        }

        private void expect(String word) {
            Token t = next();
            if (t.string() || !t.text().equalsIgnoreCase(word)) {
                throw error("Expecting '" + word + "' but got '" + t.text() + "'.");
            }
        }

        private JqlException error(String message) {
            return new JqlException("Error in the JQL Query: " + message);
        }
    }

    /** Reads an ADF or plain value as searchable text. */
    static String plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder sb = new StringBuilder();
        node.findValues("text").forEach(t -> sb.append(t.asText()).append(' '));
        return sb.toString().strip();
    }
}
