package org.itsmhub.runtime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.flow.SyncRunner;

/**
 * One Quartz trigger per sync. Jobs are stateful (a cycle never overlaps the previous one) and a
 * missed firing is skipped, not replayed in a burst (misfire instruction 2: do nothing).
 */
final class SyncScheduleRoutes extends RouteBuilder {

    private final List<SyncConfig> syncs;
    private final SyncRunner runner;

    SyncScheduleRoutes(List<SyncConfig> syncs, SyncRunner runner) {
        this.syncs = syncs;
        this.runner = runner;
    }

    @Override
    public void configure() {
        for (SyncConfig sync : syncs) {
            from(quartzUri(sync))
                    .routeId("schedule-" + sync.id())
                    .process(exchange -> runner.run(sync.id()));
        }
    }

    static String quartzUri(SyncConfig sync) {
        return "quartz://hub/" + sync.id() + "?cron=" + URLEncoder.encode(sync.schedule(), StandardCharsets.UTF_8)
                + "&stateful=true&trigger.misfireInstruction=2";
    }
}
