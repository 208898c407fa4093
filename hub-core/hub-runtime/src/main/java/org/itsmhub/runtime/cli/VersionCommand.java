package org.itsmhub.runtime.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code itsm-hub version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the hub's version.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new CliVersionProvider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return ItsmHubCli.OK;
    }
}
