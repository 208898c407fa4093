package org.itsmhub.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;

/**
 * Another process holding a store open, as a running hub does: {@link #main} opens it, prints
 * {@code ready} and keeps it open until its standard input closes. With {@code --plain} it opens the
 * H2 file the way a process that does not share it would ({@code AUTO_SERVER=FALSE}).
 */
public final class StoreHolder implements AutoCloseable {

    private final Process process;

    private StoreHolder(Process process) {
        this.process = process;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        boolean plain = args.length > 1 && args[1].equals("--plain");
        AutoCloseable held = plain ? DriverManager.getConnection(url + ";AUTO_SERVER=FALSE", "", "")
                : HubStore.open(new StoreSettings(url, "", ""));
        System.out.println("ready");
        System.out.flush();
        try (AutoCloseable store = held;
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait for the test to close our stdin
            }
        }
    }

    /** Starts a JVM holding the store and waits until it has opened it. */
    public static StoreHolder start(String url, boolean plain, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                StoreHolder.class.getName(), url));
        if (plain) {
            command.add("--plain");
        }
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the store holder did not start: " + line + "; see " + log);
        }
        return new StoreHolder(process);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
