package org.itsmhub.e2e;

import org.itsmhub.sandbox.VendorSandbox;

/**
 * The config an admin writes for connections to the vendor sandboxes, built once here: each method
 * returns YAML lines at the indentation of a tenant's {@code connections:} or {@code syncs:} list.
 * Extra lines are further keys, e.g. {@code "initial.since: \"2000-01-01T00:00:00Z\""}.
 */
public final class SandboxConfig {

    private SandboxConfig() {
    }

    /** One tenant with the given connection blocks and sync blocks. */
    public static String tenant(String tenant, String connections, String syncs) {
        return "tenants:\n  " + tenant + ":\n    connections:\n" + connections
                + (syncs.isEmpty() ? "" : "    syncs:\n" + syncs);
    }

    public static String servicenow(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "servicenow", extra, "instance.url: " + sandbox.baseUrl(), "auth.user: admin",
                "auth.password: sandbox-password");
    }

    public static String freshdesk(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "freshdesk", extra, "base.url: " + sandbox.baseUrl(), "api.key: sandbox-api-key");
    }

    public static String jira(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "jira", extra, "base.url: " + sandbox.baseUrl(), "auth.email: hub@sandbox.example",
                "auth.api.token: sandbox-api-token");
    }

    public static String nessus(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "nessus", extra, "base.url: " + sandbox.baseUrl(), "access.key: sandbox-access-key",
                "secret.key: sandbox-secret-key");
    }

    public static String veeam(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "veeam", extra, "base.url: " + sandbox.baseUrl(), "username: 'sandbox\\hub'",
                "password: sandbox-password");
    }

    public static String intune(String id, VendorSandbox sandbox, String... extra) {
        return connection(id, "intune", extra, "tenant.id: sandbox.onmicrosoft.com", "client.id: sandbox-client-id",
                "client.secret: sandbox-client-secret", "authority: \"" + sandbox.baseUrl() + "/{tenant}\"",
                "graph.url: " + sandbox.baseUrl());
    }

    /**
     * The {@code tls.trust} line that trusts exactly a sandbox's https-mode certificate, read from its
     * PEM file with {@code ${file:...}} as an admin writes it.
     */
    public static String tlsTrust(VendorSandbox sandbox) {
        return "tls.trust: \"${file:" + sandbox.certificate().orElseThrow().pem() + "}\"";
    }

    /** A ticket-sync between two connections, scheduled far away (tests run cycles themselves). */
    public static String ticketSync(String id, String left, String right, String... extra) {
        return sync(id, "ticket-sync", extra, "left-connection: " + left, "right-connection: " + right);
    }

    /** A findings-to-tickets sync from the given sources to a ticket connection, scheduled far away. */
    public static String findingsToTickets(String id, String sources, String ticketConnection, String... extra) {
        return sync(id, "findings-to-tickets", extra, "source-connections: " + sources,
                "ticket-connection: " + ticketConnection);
    }

    /** An assets-to-cmdb sync from asset sources to a CMDB connection, scheduled far away. */
    public static String assetsToCmdb(String id, String sources, String cmdb, String... extra) {
        return sync(id, "assets-to-cmdb", extra, "source-connections: " + sources, "cmdb-connection: " + cmdb);
    }

    private static String sync(String id, String flow, String[] extra, String... keys) {
        return lines("      - id: " + id + "\n        flow: " + flow + "\n        schedule: \"0 0 3 1 1 ?\"\n", keys, extra);
    }

    private static String connection(String id, String plugin, String[] extra, String... keys) {
        return lines("      " + id + ":\n        plugin: " + plugin + "\n", keys, extra);
    }

    private static String lines(String head, String[] keys, String[] extra) {
        StringBuilder sb = new StringBuilder(head);
        for (String line : keys) {
            sb.append("        ").append(line).append('\n');
        }
        for (String line : extra) {
            sb.append("        ").append(line).append('\n');
        }
        return sb.toString();
    }
}
