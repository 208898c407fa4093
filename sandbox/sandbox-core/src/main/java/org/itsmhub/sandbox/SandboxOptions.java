package org.itsmhub.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How to run a sandbox. Everything but the port is off by default: no latency, no faults, no rate
 * limit, no seeds.
 *
 * @param port           port on 127.0.0.1 (0 = any free port)
 * @param seeds          seed files in the vendor's own list format; a vendor may accept a
 *                       {@code QUALIFIER=FILE} form (e.g. ServiceNow's {@code TABLE=FILE}), see {@link Seed}
 * @param latency        added to every answer
 * @param faultRate      share of requests (0..1) that get one of {@code faults}
 * @param faults         which faults to inject
 * @param rateLimit      requests allowed per {@code rateLimitWindow}; 0 = unlimited. Over it, the
 *                       vendor's own 429 ({@link VendorSandbox#rateLimited})
 * @param rateLimitWindow the window of {@code rateLimit}
 * @param randomSeed     seed for the fault dice, so a failing run can be repeated
 * @param journalLimit   requests the sandbox keeps in its request journal, newest first; 0 = all (tests
 *                       read the whole journal). A sandbox that runs for hours (the {@code sandbox}
 *                       command, the demo) keeps {@link #LONG_RUNNING_JOURNAL_LIMIT}, or its heap grows
 *                       with every request.
 * @param tlsDirectory   null for plain http; otherwise the sandbox serves https only, with a certificate
 *                       made at start and written into this directory ({@link SandboxCertificate})
 */
public record SandboxOptions(int port, List<Seed> seeds, Duration latency, double faultRate, Set<Fault> faults,
        int rateLimit, Duration rateLimitWindow, long randomSeed, int journalLimit, Path tlsDirectory) {

    /** The request journal a long-running sandbox keeps: enough to look at the last few cycles. */
    public static final int LONG_RUNNING_JOURNAL_LIMIT = 1_000;

    public SandboxOptions {
        seeds = List.copyOf(seeds);
        faults = Set.copyOf(faults);
        if (faultRate < 0 || faultRate > 1) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1");
        }
        if (journalLimit < 0) {
            throw new IllegalArgumentException("journal limit must be 0 (all) or more");
        }
    }

    /** Defaults: any free port, nothing injected, no seeds. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(0, List.of(), Duration.ZERO, 0, Set.of(), 0, Duration.ofMinutes(1), 42, 0, null);
    }

    public SandboxOptions withPort(int newPort) {
        return new SandboxOptions(newPort, seeds, latency, faultRate, faults, rateLimit, rateLimitWindow, randomSeed, journalLimit, tlsDirectory);
    }

    public SandboxOptions withSeeds(List<Seed> newSeeds) {
        return new SandboxOptions(port, newSeeds, latency, faultRate, faults, rateLimit, rateLimitWindow, randomSeed, journalLimit, tlsDirectory);
    }

    public SandboxOptions withLatency(Duration newLatency) {
        return new SandboxOptions(port, seeds, newLatency, faultRate, faults, rateLimit, rateLimitWindow, randomSeed, journalLimit, tlsDirectory);
    }

    public SandboxOptions withFaults(double rate, Set<Fault> newFaults) {
        return new SandboxOptions(port, seeds, latency, rate, newFaults, rateLimit, rateLimitWindow, randomSeed, journalLimit, tlsDirectory);
    }

    public SandboxOptions withRateLimit(int requests, Duration window) {
        return new SandboxOptions(port, seeds, latency, faultRate, faults, requests, window, randomSeed, journalLimit, tlsDirectory);
    }

    public SandboxOptions withJournalLimit(int requests) {
        return new SandboxOptions(port, seeds, latency, faultRate, faults, rateLimit, rateLimitWindow, randomSeed,
                requests, tlsDirectory);
    }

    /**
     * Serves https only, with a new self-signed certificate for 127.0.0.1 and {@code localhost} whose PEM
     * and trust store are written into {@code directory}.
     */
    public SandboxOptions withTls(Path directory) {
        return new SandboxOptions(port, seeds, latency, faultRate, faults, rateLimit, rateLimitWindow, randomSeed,
                journalLimit, directory);
    }

    public boolean tls() {
        return tlsDirectory != null;
    }

    /**
     * One seed file, optionally with a qualifier ({@code incident=tickets.json}: qualifier
     * {@code incident}).
     */
    public record Seed(String qualifier, Path file) {
        /** Parses {@code FILE} or {@code QUALIFIER=FILE}. */
        public static Seed parse(String text) {
            int eq = text.indexOf('=');
            return eq <= 0 ? new Seed(null, Path.of(text)) : new Seed(text.substring(0, eq), Path.of(text.substring(eq + 1)));
        }
    }
}
