package org.itsmhub.runtime.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * This hub process's name in the cluster: {@code host:pid:start}, stable for the life of the
 * process and new for the next one, so a restarted node never mistakes its previous incarnation's
 * lease for its own. Lease rows and PostgreSQL's {@code application_name} carry it.
 */
public final class NodeIdentity {

    private static final String CURRENT = compute();

    private NodeIdentity() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String compute() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().orElseGet(Instant::now).getEpochSecond();
        return host + ":" + self.pid() + ":" + started;
    }
}
