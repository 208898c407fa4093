package org.itsmhub.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;

/** The hub's version, from the build (resource {@code itsmhub-version.properties}). */
public final class CliVersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        try (InputStream in = CliVersionProvider.class.getResourceAsStream("/itsmhub-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"itsm-hub " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
