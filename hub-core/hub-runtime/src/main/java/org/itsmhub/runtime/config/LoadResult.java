package org.itsmhub.runtime.config;

import java.util.List;

/**
 * The outcome of loading a config file: the config when it is valid, otherwise every problem.
 *
 * @param config the loaded config, or null when there are issues
 * @param issues every problem, config file first, each file in line and column order
 */
public record LoadResult(HubConfig config, List<ConfigIssue> issues) {

    public LoadResult {
        issues = List.copyOf(issues);
        if ((config == null) == issues.isEmpty()) {
            throw new IllegalArgumentException("a load result has either a config or issues");
        }
    }

    public boolean isValid() {
        return config != null;
    }

    /** The config, or an {@link InvalidConfigException} listing every issue. */
    public HubConfig orElseThrow() {
        if (config == null) {
            throw new InvalidConfigException(issues);
        }
        return config;
    }
}
