package org.itsmhub.sandbox.servicenow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of ServiceNow's encoded query language the sandbox understands: conditions joined by
 * {@code ^} (AND), {@code ^OR} (OR with the previous condition), {@code ^NQ} (a new, OR-ed query),
 * the operators {@code = != > >= < <= STARTSWITH ENDSWITH LIKE IN NOT IN ISEMPTY ISNOTEMPTY}, and
 * {@code ORDERBY} / {@code ORDERBYDESC}. Values compare as text, which is right for ServiceNow's
 * {@code yyyy-MM-dd HH:mm:ss} date-times.
 */
final class EncodedQuery {

    private static final Pattern CONDITION = Pattern.compile(
            "^([a-z][a-z0-9_.]*)(!=|>=|<=|=|>|<|STARTSWITH|ENDSWITH|NOT IN|IN|NOTLIKE|LIKE|ISNOTEMPTY|ISEMPTY)(.*)$",
            Pattern.DOTALL);

    private record Condition(String field, String op, String value) {
        boolean test(String actual) {
            return switch (op) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case ">" -> actual.compareTo(value) > 0;
                case ">=" -> actual.compareTo(value) >= 0;
                case "<" -> actual.compareTo(value) < 0;
                case "<=" -> actual.compareTo(value) <= 0;
                case "STARTSWITH" -> actual.startsWith(value);
                case "ENDSWITH" -> actual.endsWith(value);
                case "LIKE" -> actual.contains(value);
                case "NOTLIKE" -> !actual.contains(value);
                case "IN" -> List.of(value.split(",")).contains(actual);
                case "NOT IN" -> !List.of(value.split(",")).contains(actual);
                case "ISEMPTY" -> actual.isEmpty();
                case "ISNOTEMPTY" -> !actual.isEmpty();
                default -> throw new IllegalStateException(op);
            };
        }
    }

    private record Order(String field, boolean descending) {
    }

    /** OR of ANDs of ORs. */
    private final List<List<List<Condition>>> queries = new ArrayList<>();
    private final List<Order> orders = new ArrayList<>();

    static EncodedQuery parse(String text) {
        EncodedQuery q = new EncodedQuery();
        if (text == null || text.isBlank()) {
            return q;
        }
        for (String sub : text.split("\\^NQ", -1)) {
            List<List<Condition>> ands = new ArrayList<>();
            for (String token : sub.split("\\^", -1)) {
                if (token.isEmpty() || token.equals("EQ")) {
                    continue;
                }
                if (token.startsWith("ORDERBYDESC")) {
                    q.orders.add(new Order(token.substring("ORDERBYDESC".length()), true));
                } else if (token.startsWith("ORDERBY")) {
                    q.orders.add(new Order(token.substring("ORDERBY".length()), false));
                } else if (token.startsWith("OR") && !ands.isEmpty()) {
                    ands.get(ands.size() - 1).add(condition(token.substring(2)));
                } else {
                    List<Condition> ors = new ArrayList<>();
                    ors.add(condition(token));
                    ands.add(ors);
                }
            }
            q.queries.add(ands);
        }
        return q;
    }

    private static Condition condition(String token) {
        Matcher m = CONDITION.matcher(token);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported condition '" + token + "'");
        }
        return new Condition(m.group(1), m.group(2), m.group(3));
    }

    boolean matches(Function<String, String> field) {
        if (queries.isEmpty()) {
            return true;
        }
        for (List<List<Condition>> ands : queries) {
            boolean all = true;
            for (List<Condition> ors : ands) {
                boolean any = false;
                for (Condition c : ors) {
                    any |= c.test(field.apply(c.field()));
                }
                all &= any;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    <T> Comparator<T> comparator(java.util.function.BiFunction<T, String, String> field) {
        Comparator<T> c = (a, b) -> 0;
        for (Order o : orders) {
            Comparator<T> next = Comparator.comparing(r -> field.apply(r, o.field()));
            c = c.thenComparing(o.descending() ? next.reversed() : next);
        }
        return c;
    }
}
