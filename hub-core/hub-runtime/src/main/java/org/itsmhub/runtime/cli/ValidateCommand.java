package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.runtime.config.ConnectionConfig;
import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.TenantConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code itsm-hub validate}: every problem of a config file at once, optionally with live checks. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a config file and list every problem as FILE:LINE:COLUMN: key.path: message.",
                "Exit 0 valid, 2 invalid, 1 internal error (or a failed live check)."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The hub's config file.")
    Path config;

    @Option(names = "--check-connections",
            description = "Also make one cheap authenticated call per connection (e.g. 'who am I').")
    boolean checkConnections;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
            if (!boot.result().isValid()) {
                boot.result().issues().forEach(err::println);
                err.printf("itsm-hub: %s has %d problem(s)%n", config, boot.result().issues().size());
                return ItsmHubCli.INVALID;
            }
            HubConfig hubConfig = boot.result().config();
            if (!checkConnections) {
                out.printf("%s is valid: %d tenant(s), %d connection(s), %d sync(s)%n", config,
                        hubConfig.tenants().size(), connectionCount(hubConfig), hubConfig.syncs().size());
                return ItsmHubCli.OK;
            }
            List<String> failures = new ArrayList<>();
            try (ConnectionRegistry registry = new ConnectionRegistry(hubConfig, boot.plugins()::factory,
                    Clock.systemUTC(), ConnectionRegistry.HostServices.none())) {
                for (TenantConfig tenant : hubConfig.tenants().values()) {
                    for (ConnectionConfig connection : tenant.connections().values()) {
                        List<ConfigProblem> problems = check(registry, connection);
                        String path = "tenants." + tenant.id() + ".connections." + connection.id();
                        if (problems.isEmpty()) {
                            out.printf("%s: ok (%s)%n", path, connection.plugin());
                        }
                        for (ConfigProblem p : problems) {
                            failures.add(config + ": " + path + (p.key().isEmpty() ? "" : "." + p.key()) + ": "
                                    + p.message());
                        }
                    }
                }
            }
            failures.forEach(err::println);
            out.printf("%s is valid; %d live check problem(s)%n", config, failures.size());
            return failures.isEmpty() ? ItsmHubCli.OK : ItsmHubCli.FAILED;
        }
    }

    private static List<ConfigProblem> check(ConnectionRegistry registry, ConnectionConfig connection) {
        try {
            return registry.connector(connection.tenant(), connection.id()).checkConnection();
        } catch (RuntimeException e) {
            return List.of(new ConfigProblem("", "live check failed: " + e.getMessage()));
        }
    }

    private static int connectionCount(HubConfig config) {
        return config.tenants().values().stream().mapToInt(t -> t.connections().size()).sum();
    }
}
