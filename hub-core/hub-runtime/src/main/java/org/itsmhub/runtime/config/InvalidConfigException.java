package org.itsmhub.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** The config file has problems; the message lists every one, one per line. */
public class InvalidConfigException extends RuntimeException {

    private final transient List<ConfigIssue> issues;

    public InvalidConfigException(List<ConfigIssue> issues) {
        super(issues.size() + (issues.size() == 1 ? " problem" : " problems") + " in the configuration:\n"
                + issues.stream().map(ConfigIssue::toString).collect(Collectors.joining("\n")));
        this.issues = List.copyOf(issues);
    }

    public List<ConfigIssue> issues() {
        return issues;
    }
}
