package org.itsmhub.plugin.nessus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.itsmhub.api.connector.FindingFileImporter.ImportSummary;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.Severity;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The importer on every real .nessus file in testdata/nessus, and on broken ones. */
class NessusFileImporterTest {

    private final NessusFileImporter importer = new NessusFileImporter();

    @TempDir
    Path tmp;

    /** Counts checked against the PROVENANCE table and an independent ElementTree pass over each file. */
    @ParameterizedTest(name = "{0}: {1} hosts, {2} items")
    @CsvSource({
            // file, hosts, items, distinct keys, info, low, medium, high, critical
            "defectdojo_issue_6992.nessus,              1,   1,   1,   0,  0,  1,  0, 0",
            "defectdojo_nessus_many_vuln.nessus,        1,   7,   7,   7,  0,  0,  0, 0",
            "defectdojo_nessus_was_many_vuln.nessus,    1,   5,   5,   1,  3,  0,  1, 0",
            "defectdojo_nessus_was_no_vuln.nessus,      1,   0,   0,   0,  0,  0,  0, 0",
            "defectdojo_nessus_with_cvssv3.nessus,      1,  49,  48,  23,  1, 13, 10, 2",
            "defectdojo_nessus_with_cwe-.nessus,        1,   1,   1,   0,  0,  0,  1, 0",
            "libnessus_nessus_report_local2.nessus,     1,  62,  61,  61,  0,  1,  0, 0",
            "libnessus_nessus_report_local_3.nessus,    3, 106, 106,  71, 10, 20,  3, 2",
            "libnessus_nessus_report_test_local.nessus, 2, 147, 143, 119,  8, 19,  0, 1",
            "pytenable_io_scan175_export.nessus,        1, 133, 133, 133,  0,  0,  0, 0",
            "pytenable_io_was_scan6799_export.nessus,   1, 107,  41,  39, 19,  9, 40, 0",
            "reptor_nessus_multi_host.nessus,           4,  23,  23,  19,  0,  2,  1, 1",
            "rubynessus_example_v2.nessus,              2,  69,  68,  19, 47,  3,  0, 0",
            "rubynessus_example_v3.nessus,              1, 155, 155, 118,  8, 16,  5, 8",
    })
    void everyFixtureIsReadWithItsExactHostAndItemCounts(String file, long hosts, long items, int distinctKeys,
            long info, long low, long medium, long high, long critical) {
        List<Asset> assets = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();

        ImportSummary summary = importer.importFile(fixture(file), null, Severity.INFO, assets::add, findings::add);

        assertThat(summary.hosts()).isEqualTo(hosts);
        assertThat(assets).hasSize((int) hosts);
        assertThat(findings).hasSize((int) items);
        assertThat(summary.handedOn()).isEqualTo(items);
        assertThat(summary.findingsBySeverity()).containsExactlyInAnyOrderEntriesOf(Map.of(Severity.INFO, info,
                Severity.LOW, low, Severity.MEDIUM, medium, Severity.HIGH, high, Severity.CRITICAL, critical));
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.VULNERABILITY);
            assertThat(f.key()).startsWith("nessus:");
            assertThat(f.lastSeen()).isNotNull();
            assertThat(f.evidence()).containsKeys("identity", "plugin.id");
        });
        assertThat(findings.stream().map(Finding::key).distinct().count()).isEqualTo(distinctKeys);
    }

    /**
     * Nessus repeats a plugin on one port when it has several outputs (WAS: one per URL). Those
     * repeats are one finding: same key, same title and severity, numbered instances.
     */
    @Test
    void itemsSharingAKeyAreInstancesOfOneFinding() {
        for (String file : List.of("defectdojo_nessus_with_cvssv3.nessus", "libnessus_nessus_report_local2.nessus",
                "libnessus_nessus_report_test_local.nessus", "pytenable_io_was_scan6799_export.nessus",
                "rubynessus_example_v2.nessus")) {
            Map<String, List<Finding>> byKey = read(file, null, Severity.INFO).stream()
                    .collect(Collectors.groupingBy(Finding::key));
            byKey.values().stream().filter(group -> group.size() > 1).forEach(group -> {
                assertThat(group).extracting(Finding::title).as(file).containsOnly(group.get(0).title());
                assertThat(group).extracting(Finding::severity).as(file).containsOnly(group.get(0).severity());
                assertThat(group.get(0).evidence()).doesNotContainKey("instance");
                assertThat(group.get(1).evidence()).containsEntry("instance", "2");
            });
        }
    }

    @Test
    void mapsCvesCvss3AndPluginOutput() {
        Finding php = read("defectdojo_nessus_with_cvssv3.nessus", "acme", Severity.INFO).stream()
                .filter(f -> f.evidence().get("plugin.id").equals("17797")).findFirst().orElseThrow();

        assertThat(php.key()).isEqualTo("nessus:acme/fqdn=testphp.vulnweb.com/17797/80/tcp");
        assertThat(php.title()).isEqualTo("PHP 5.x < 5.2.2 Multiple vulnerabilities");
        assertThat(php.severity()).isEqualTo(Severity.HIGH);
        assertThat(php.detail()).startsWith("The remote web server uses a version of PHP that is affected");
        assertThat(php.solution()).isNotBlank();
        assertThat(php.evidence())
                .containsEntry("identity", "fqdn")
                .containsEntry("host-ip", "44.228.249.3")
                .containsEntry("port", "80")
                .containsEntry("protocol", "tcp")
                .containsEntry("service", "www")
                .containsEntry("cvss3.base", "7.5")
                .containsEntry("cvss3.vector", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")
                .containsEntry("cvss2.base", "7.8")
                .containsEntry("risk.factor", "High");
        assertThat(php.evidence().get("cve")).startsWith("CVE-2007-1001, CVE-2007-1583, ");
        assertThat(php.evidence().get("plugin.output")).startsWith("Version source : http://testphp.vulnweb.com/");
        // from HOST_START_TIMESTAMP / HOST_END_TIMESTAMP (epoch); the text form is the scanner's local time (UTC+1 here)
        assertThat(php.firstSeen()).isEqualTo(Instant.parse("2022-03-23T13:31:51Z"));
        assertThat(php.lastSeen()).isEqualTo(Instant.parse("2022-03-23T14:07:52Z"));
        assertThat(php.asset().fqdn()).isEqualTo("testphp.vulnweb.com");
        assertThat(php.source().id()).isEqualTo("defectdojo_nessus_with_cvssv3.nessus");
    }

    @Test
    void decodesCharacterReferences() {
        Finding http = read("pytenable_io_scan175_export.nessus", null, Severity.INFO).stream()
                .filter(f -> f.key().equals("nessus:ip=162.159.129.83/24260/443/tcp")).findFirst().orElseThrow();

        assertThat(http.evidence().get("identity")).isEqualTo("ip (weak)");
        assertThat(http.evidence().get("plugin.output"))
                .startsWith("Response Code : HTTP/1.1 403 Forbidden\n\nProtocol version : HTTP/1.1")
                .doesNotContain("&#").doesNotContain("\r");
    }

    @Test
    void identifiesHostsByMacFirstNormalisedAndRecordsWhichAttributeWasUsed() {
        List<Asset> assets = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        importer.importFile(fixture("rubynessus_example_v3.nessus"), null, Severity.INFO, assets::add, findings::add);

        Asset host = assets.get(0);
        assertThat(host.identity().macs()).containsExactly("08:00:27:8F:C3:B3");
        assertThat(host.identity().hostname()).isEqualTo("metasploitable");
        assertThat(host.identity().ips()).containsExactly("10.0.0.1");
        assertThat(host.identity().isWeak()).isFalse();
        assertThat(host.os()).startsWith("Linux Kernel 2.6 on Ubuntu 8.04");
        assertThat(host.attributes()).containsEntry("identity", "mac");
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.key()).startsWith("nessus:mac=08:00:27:8F:C3:B3/");
            assertThat(f.evidence()).containsEntry("identity", "mac");
        });

        List<Asset> three = new ArrayList<>();
        importer.importFile(fixture("libnessus_nessus_report_local_3.nessus"), null, Severity.INFO, three::add, f -> { });
        assertThat(three).extracting(a -> a.attributes().get("identity"))
                .containsExactly("ip (weak)", "ip (weak)", "netbios");
        assertThat(three.get(0).identity().isWeak()).isTrue();
    }

    @Test
    void severalMacsOnOneLinePerMacAndTheSmallestKeysTheHost() {
        assertThat(NessusAssetMapper.macs("88:1f:a1:23:ee:02\n0a-1F-A1-23-EE-02\nnot a mac\n00:00:00:00:00:00"))
                .containsExactly("88:1F:A1:23:EE:02", "0A:1F:A1:23:EE:02");
        NessusHost host = new NessusHost("10.1.1.1", Map.of("mac-address", "88:1f:a1:23:ee:02\n0a:1f:a1:23:ee:02",
                "host-ip", "10.1.1.1"));
        assertThat(new NessusAssetMapper("import").identify(host).keyPart()).isEqualTo("mac=0A:1F:A1:23:EE:02");
    }

    @Test
    void webAppScanTargetsAreIdentifiedByTheirHostName() {
        List<Asset> assets = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        importer.importFile(fixture("defectdojo_nessus_was_many_vuln.nessus"), null, Severity.INFO, assets::add,
                findings::add);

        assertThat(assets.get(0).identity().fqdn()).isEqualTo("google.com");
        assertThat(findings).allSatisfy(f -> assertThat(f.key()).startsWith("nessus:fqdn=google.com/"));
        assertThat(findings.get(0).firstSeen()).isEqualTo(Instant.parse("2021-03-12T12:34:30.120310Z"));
    }

    @Test
    void minSeverityHandsOnOnlyFindingsAtOrAboveItButCountsAll() {
        List<Finding> findings = new ArrayList<>();
        ImportSummary summary = importer.importFile(fixture("rubynessus_example_v3.nessus"), null, Severity.HIGH,
                a -> { }, findings::add);

        assertThat(findings).hasSize(13).allSatisfy(f -> assertThat(f.severity()).isIn(Severity.HIGH, Severity.CRITICAL));
        assertThat(summary.handedOn()).isEqualTo(13);
        assertThat(summary.findingsBySeverity().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(155);
    }

    @Test
    void keysAreStableAcrossTwoParsesOfTheSameFile() {
        for (String file : List.of("libnessus_nessus_report_test_local.nessus", "reptor_nessus_multi_host.nessus")) {
            assertThat(read(file, "acme", Severity.INFO)).extracting(Finding::key)
                    .containsExactlyElementsOf(read(file, "acme", Severity.INFO).stream().map(Finding::key).toList());
        }
    }

    @Test
    void anEmptyFileFailsNamingFileLineAndColumn() {
        Path file = fixture("libnessus_xxxxxxxx.nessus");
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(DataMappingException.class)
                .hasMessage(file + ":1:1: the file is empty (0 bytes), not a .nessus export");
    }

    @Test
    void theLegacyV1FormatFailsNamingFileLineAndColumn() {
        Path file = fixture("rubynessus_example_v1_legacy_NessusClientData.nessus");
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(DataMappingException.class)
                .hasMessageStartingWith(file + ":1:")
                .hasMessageMatching(".*:1:\\d+: legacy \\.nessus v1 format \\(<NessusClientData>\\) is not supported.*");
    }

    @Test
    void aWrongRootElementFails() throws IOException {
        Path file = write("wrong.nessus", "<?xml version=\"1.0\"?>\n<html>\n<body/></html>");
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(DataMappingException.class)
                .hasMessageStartingWith(file + ":2:")
                .hasMessageContaining("root element is <html>, expected <NessusClientData_v2>");
    }

    @Test
    void aTruncatedFileFailsAfterHandingOnWhatWasCompleteAndNamesWhereItBroke() throws IOException {
        String whole = Files.readString(fixture("reptor_nessus_multi_host.nessus"));
        Path file = write("truncated.nessus", whole.substring(0, whole.length() / 2));
        List<Finding> before = new ArrayList<>();

        assertThatThrownBy(() -> importer.importFile(file, null, Severity.INFO, a -> { }, before::add))
                .isInstanceOf(DataMappingException.class)
                .hasMessageMatching("\\Q" + file + "\\E:\\d+:\\d+: not well-formed XML: .*");
        assertThat(before).isNotEmpty().hasSizeLessThan(23);
    }

    @Test
    void aBadSeverityFailsWithItsLocation() throws IOException {
        Path file = write("bad.nessus", """
                <?xml version="1.0"?>
                <NessusClientData_v2><Report name="r">
                <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
                <ReportItem port="0" svc_name="general" protocol="tcp" severity="9" pluginID="1" pluginName="x"/>
                </ReportHost></Report></NessusClientData_v2>
                """);
        assertThatThrownBy(() -> read(file)).isInstanceOf(DataMappingException.class)
                .hasMessageStartingWith(file + ":4:").hasMessageContaining("severity must be 0-4, was '9'");
    }

    @Test
    void externalEntitiesAreNeverResolved() throws IOException {
        Path secret = write("secret.txt", "TOP-SECRET-CONTENT");
        Path file = write("xxe.nessus", """
                <?xml version="1.0"?>
                <!DOCTYPE NessusClientData_v2 [<!ENTITY xxe SYSTEM "%s">]>
                <NessusClientData_v2><Report name="r">
                <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
                <ReportItem port="0" svc_name="general" protocol="tcp" severity="1" pluginID="1" pluginName="x">
                <plugin_output>&xxe;</plugin_output></ReportItem>
                </ReportHost></Report></NessusClientData_v2>
                """.formatted(secret.toUri()));
        List<Finding> findings = new ArrayList<>();
        try {
            importer.importFile(file, null, Severity.INFO, a -> { }, findings::add);
        } catch (DataMappingException refused) {
            assertThat(refused).hasMessageStartingWith(file + ":");
        }
        assertThat(findings).allSatisfy(f -> assertThat(f.evidence().toString()).doesNotContain("TOP-SECRET"));
    }

    @Test
    void longPluginOutputIsCutWhileReading() throws IOException {
        Path file = write("long.nessus", """
                <?xml version="1.0"?>
                <NessusClientData_v2><Report name="r">
                <ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
                <ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="1" pluginName="x">
                <plugin_output>
                %s&amp;%s</plugin_output></ReportItem>
                <ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="2" pluginName="y">
                <plugin_output>short &lt;output&gt;</plugin_output></ReportItem>
                </ReportHost></Report></NessusClientData_v2>
                """.formatted("a".repeat(50_000), "b".repeat(49_999)));
        List<Finding> findings = new ArrayList<>();
        importer.importFile(file, null, Severity.INFO, a -> { }, findings::add);

        assertThat(findings.get(0).evidence().get("plugin.output"))
                .isEqualTo("a".repeat(NessusFindingMapper.MAX_OUTPUT) + "\n[... 96000 more characters cut]");
        assertThat(findings.get(1).evidence().get("plugin.output")).isEqualTo("short <output>");
        assertThat(NessusFindingMapper.trimOutput("x".repeat(NessusFindingMapper.MAX_OUTPUT + 10),
                NessusFindingMapper.MAX_OUTPUT + 10)).endsWith("x\n[... 10 more characters cut]");
    }

    @Test
    void eachHostIsHandedOnOnceBeforeItsFindings() {
        List<Object> order = new ArrayList<>();
        importer.importFile(fixture("reptor_nessus_multi_host.nessus"), null, Severity.INFO, order::add, order::add);

        assertThat(order.get(0)).isInstanceOf(Asset.class);
        assertThat(order).filteredOn(Asset.class::isInstance).hasSize(4);
        Asset current = null;
        for (Object record : order) {
            if (record instanceof Asset asset) {
                current = asset;
            } else {
                assertThat(((Finding) record).asset()).isEqualTo(current.identity());
            }
        }
    }

    private List<Finding> read(String file, String tenant, Severity min) {
        List<Finding> findings = new ArrayList<>();
        importer.importFile(fixture(file), tenant, min, a -> { }, findings::add);
        return findings;
    }

    private void read(Path file) {
        importer.importFile(file, null, Severity.INFO, a -> { }, f -> { });
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void windowsOfWholeHostsTogetherAreTheWholeFileEachHostOnce() {
        List<Finding> all = new ArrayList<>();
        importer.importFile(fixture("reptor_nessus_multi_host.nessus"), "acme", Severity.INFO, a -> { }, all::add);
        List<List<Finding>> windows = new ArrayList<>();
        int from = 0;
        ExternalRef scan = ExternalRef.of("nessus", "acme-nessus", "7");
        while (from >= 0) {
            List<Finding> window = new ArrayList<>();
            List<Asset> hosts = new ArrayList<>();
            NessusFileImporter.HostWindow read = importer.importHosts(fixture("reptor_nessus_multi_host.nessus"),
                    "acme", scan, Severity.INFO, from, () -> !window.isEmpty(), hosts::add, window::add);
            assertThat(hosts).as("one host per window when one finding is enough").hasSize(1);
            assertThat(read.summary().hosts()).isEqualTo(1);
            windows.add(window);
            from = read.stoppedBefore();
        }

        assertThat(windows).hasSize(4);
        assertThat(windows.stream().flatMap(List::stream).map(Finding::key).toList())
                .containsExactlyElementsOf(all.stream().map(Finding::key).toList());
    }

    private static Path fixture(String name) {
        return VendorTestData.path("nessus", name);
    }
}
