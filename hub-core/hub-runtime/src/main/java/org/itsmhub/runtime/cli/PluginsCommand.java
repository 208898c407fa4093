package org.itsmhub.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.itsmhub.runtime.plugin.PluginHost;
import org.itsmhub.runtime.plugin.PluginInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code itsm-hub plugins}: what is installed and what each connector can do. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the connector plugins found: id, version and capabilities. Exit 1 if any failed to load.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Plugin folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:itsmhub.home:-.}/plugins")
    Path pluginsDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginHost host = PluginHost.load(pluginsDir)) {
            out.printf("%-16s %-14s %-40s %s%n", "ID", "VERSION", "CAPABILITIES", "DESCRIPTION");
            for (PluginInfo p : host.plugins()) {
                out.printf("%-16s %-14s %-40s %s%n", p.connectorId(), p.version(),
                        String.join(",", p.capabilities().stream().map(c -> c.label()).sorted().toList()),
                        p.description());
            }
            host.problems().forEach(problem -> spec.commandLine().getErr().println("itsm-hub: " + problem));
            out.flush();
            return host.problems().isEmpty() ? ItsmHubCli.OK : ItsmHubCli.FAILED;
        }
    }
}
