package org.itsmhub.runtime.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The small text formats flow parameters share: lists and key=value pairs, separated by commas. */
public final class FlowParameters {

    private FlowParameters() {
    }

    /** {@code a, b,c} as {@code [a, b, c]}; blanks dropped. */
    public static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }

    /**
     * {@code k1=v1, k2=v2} as an ordered map.
     *
     * @throws IllegalArgumentException naming the offending pair when one has no {@code =}
     */
    public static Map<String, String> pairs(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : list(text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, was '" + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
