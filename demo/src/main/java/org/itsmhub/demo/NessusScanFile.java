package org.itsmhub.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes fabrikam's weekly scan as a {@code .nessus} (v2) export, the file a Nessus server serves:
 * three hosts with host properties (IP, FQDN, NetBIOS name, MAC, OS, scan times) and report items.
 * Generated here, so the demo ships no scanner output of its own.
 */
final class NessusScanFile {

    /** One vulnerability as Nessus reports it. */
    record Item(String port, String service, int severity, String pluginId, String name, String family,
            String risk, String synopsis, String solution, String cvss3) {
    }

    /** One scanned host. */
    record Host(String ip, String fqdn, String netbios, String mac, String os, List<Item> items) {
    }

    static final Item APACHE = new Item("443", "www", 4, "201198", "Apache 2.4.x < 2.4.60 Multiple Vulnerabilities",
            "Web Servers", "Critical", "The remote web server is affected by multiple vulnerabilities.",
            "Upgrade to Apache version 2.4.60 or later.", "9.8");

    private NessusScanFile() {
    }

    /** The scan's hosts; with {@code apachePatched} the web server's critical item is gone (fixed). */
    static List<Host> hosts(boolean apachePatched) {
        Item untrusted = new Item("443", "www", 2, "51192", "SSL Certificate Cannot Be Trusted", "General", "Medium",
                "The SSL certificate for this service cannot be trusted.",
                "Purchase or generate a proper SSL certificate for this service.", "6.5");
        Item info = new Item("0", "general", 0, "19506", "Nessus Scan Information", "Settings", "None",
                "This plugin displays information about the Nessus scan.", "n/a", null);
        Item sql = new Item("1433", "mssql", 3, "73756", "Microsoft SQL Server Unsupported Version Detection",
                "Databases", "High", "An unsupported version of a database server is running on the remote host.",
                "Upgrade to a version of Microsoft SQL Server that is currently supported.", "7.5");
        Item icmp = new Item("0", "general", 1, "10114", "ICMP Timestamp Request Remote Date Disclosure", "General",
                "Low", "It is possible to determine the exact time set on the remote host.",
                "Filter out the ICMP timestamp requests (13), and the outgoing ICMP timestamp replies (14).", null);
        Item snmp = new Item("161", "snmp", 2, "41028", "SNMP Agent Default Community Name (public)", "SNMP", "Medium",
                "The community name of the remote SNMP server can be guessed.",
                "Disable the SNMP service on the remote host if you do not use it, or change the default community string.",
                "5.3");
        List<Item> web = apachePatched ? List.of(untrusted, info) : List.of(APACHE, untrusted, info);
        return List.of(
                new Host("10.20.0.11", "fabrikam-web01.fabrikam.example", "FABRIKAM-WEB01", "00:50:56:a1:10:11",
                        "Microsoft Windows Server 2019 Standard", web),
                new Host("10.20.0.21", "fabrikam-db01.fabrikam.example", "FABRIKAM-DB01", "00:50:56:a1:10:21",
                        "Microsoft Windows Server 2016 Standard", List.of(sql, icmp, info)),
                new Host("10.20.0.50", "fabrikam-print01.fabrikam.example", "FABRIKAM-PRINT01", "00:1b:a9:4c:22:50",
                        "HP JetDirect", List.of(snmp, info)));
    }

    static Path write(Path file, List<Host> hosts, Instant scannedAt) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n")
                .append("<Report name=\"Fabrikam weekly internal scan\" xmlns:cm=\"http://www.nessus.org/cm\">\n");
        long end = scannedAt.getEpochSecond();
        for (Host h : hosts) {
            x.append("<ReportHost name=\"").append(h.ip()).append("\"><HostProperties>\n");
            tag(x, "HOST_START_TIMESTAMP", String.valueOf(end - 300));
            tag(x, "HOST_END_TIMESTAMP", String.valueOf(end));
            tag(x, "host-ip", h.ip());
            tag(x, "host-fqdn", h.fqdn());
            tag(x, "netbios-name", h.netbios());
            tag(x, "mac-address", h.mac());
            tag(x, "operating-system", h.os());
            x.append("</HostProperties>\n");
            for (Item i : h.items()) {
                x.append("<ReportItem port=\"").append(i.port()).append("\" svc_name=\"").append(i.service())
                        .append("\" protocol=\"tcp\" severity=\"").append(i.severity()).append("\" pluginID=\"")
                        .append(i.pluginId()).append("\" pluginName=\"").append(escape(i.name()))
                        .append("\" pluginFamily=\"").append(escape(i.family())).append("\">\n");
                element(x, "risk_factor", i.risk());
                element(x, "synopsis", i.synopsis());
                element(x, "description", i.synopsis());
                element(x, "solution", i.solution());
                if (i.cvss3() != null) {
                    element(x, "cvss3_base_score", i.cvss3());
                }
                element(x, "plugin_output", "Reported by the ITSM Hub demo scan.");
                x.append("</ReportItem>\n");
            }
            x.append("</ReportHost>\n");
        }
        x.append("</Report>\n</NessusClientData_v2>\n");
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, x);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void tag(StringBuilder x, String name, String value) {
        x.append("<tag name=\"").append(name).append("\">").append(escape(value)).append("</tag>\n");
    }

    private static void element(StringBuilder x, String name, String value) {
        x.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append(">\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
