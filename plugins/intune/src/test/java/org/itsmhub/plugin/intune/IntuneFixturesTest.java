package org.itsmhub.plugin.intune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.intune.dto.IntuneDevicePage;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;

/**
 * The Graph material the plugin reads: a managedDevices list response written by this project from the
 * managedDevice CSDL (Microsoft's documented example may not be redistributed), and that CSDL itself.
 */
class IntuneFixturesTest {

    private static final String LIST = "managedDevices_list_itsmhub.json";
    private static final String CSDL = "spec/msgraph_v1.0_managedDevice_csdl_extract.xml";
    private static final String LAPTOP = "3f9c2d4e-8a1b-4c7d-9e6f-0a2b4c6d8e1f";
    private static final String STALE_LAPTOP = "8e1d4b7a-2c5f-4a9e-b3d6-7f0c1e2a3b4d";
    private static final String PHONE = "c4a7e2f9-5b3d-4e8a-a1c6-9d0b2e4f6a8c";

    private final IntuneAssetMapper assets = new IntuneAssetMapper("acme-intune");

    private static List<IntuneManagedDevice> devices() {
        return IntuneClient.decodeDevices(VendorTestData.read("intune", LIST)).value();
    }

    @Test
    void theListResponseKeepsEveryMappedField() {
        IntuneDevicePage page = IntuneClient.decodeDevices(VendorTestData.read("intune", LIST));

        assertThat(page.nextLink()).isNull();
        assertThat(page.value()).extracting(IntuneManagedDevice::id).containsExactly(LAPTOP, STALE_LAPTOP, PHONE);
        IntuneManagedDevice d = page.value().get(0);
        assertThat(d.deviceName()).isEqualTo("LT-BER-0142");
        assertThat(d.serialNumber()).isEqualTo("7Q2M4R3");
        assertThat(d.manufacturer()).isEqualTo("Dell Inc.");
        assertThat(d.model()).isEqualTo("Latitude 5440");
        assertThat(d.operatingSystem()).isEqualTo("Windows");
        assertThat(d.osVersion()).isEqualTo("10.0.22631.3155");
        assertThat(d.complianceState()).isEqualTo("compliant");
        assertThat(d.complianceGracePeriodExpirationDateTime()).isEqualTo("9999-12-31T23:59:59Z");
        assertThat(d.lastSyncDateTime()).isEqualTo("2024-03-08T07:41:12.8830417Z");
        assertThat(d.enrolledDateTime()).isEqualTo("2023-09-12T08:14:51Z");
        assertThat(d.userPrincipalName()).isEqualTo("anna.kowalski@acme.example");
        assertThat(d.userDisplayName()).isEqualTo("Anna Kowalski");
        assertThat(d.azureAdDeviceId()).isEqualTo("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");
        assertThat(d.isEncrypted()).isTrue();
        assertThat(d.wiFiMacAddress()).isEqualTo("F4267935A21C");
        assertThat(d.ethernetMacAddress()).isEqualTo("8C8CAA4E71D0");
        assertThat(d.managedDeviceOwnerType()).isEqualTo("company");

        IntuneManagedDevice phone = page.value().get(2);
        assertThat(phone.deviceName()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(phone.userDisplayName()).isEqualTo("J\u00fcrgen Sch\u00e4fer");
        assertThat(phone.ethernetMacAddress()).isNull();
        assertThat(phone.isEncrypted()).isTrue();
        assertThat(page.value().get(1).isEncrypted()).isFalse();
    }

    @Test
    void theDevicesBecomeAssetsWithTheirMacsSerialsAndOwners() {
        Asset a = assets.toAsset(devices().get(0));

        assertThat(a.ref()).isEqualTo(ExternalRef.of("intune", "acme-intune", LAPTOP));
        assertThat(a.ref().url()).endsWith("/mdmDeviceId/" + LAPTOP);
        assertThat(a.identity().serial()).isEqualTo("7Q2M4R3");
        assertThat(a.identity().hostname()).isEqualTo("lt-ber-0142");
        assertThat(a.identity().macs()).containsExactly("F4:26:79:35:A2:1C", "8C:8C:AA:4E:71:D0");
        assertThat(a.identity().vendorIds()).containsExactly(
                Map.entry("intuneDeviceId", LAPTOP),
                Map.entry("azureAdDeviceId", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"));
        assertThat(a.name()).isEqualTo("LT-BER-0142");
        assertThat(a.os()).isEqualTo("Windows");
        assertThat(a.osVersion()).isEqualTo("10.0.22631.3155");
        assertThat(a.owner()).isEqualTo(new Person("anna.kowalski@acme.example", "Anna Kowalski", null));
        assertThat(a.lastSeen()).isEqualTo(Instant.parse("2024-03-08T07:41:12.8830417Z"));
        assertThat(a.attributes()).containsEntry("manufacturer", "Dell Inc.")
                .containsEntry("model", "Latitude 5440").containsEntry("complianceState", "compliant")
                .containsEntry("isEncrypted", "true").containsEntry("ownerType", "company")
                .containsEntry("enrolledDateTime", "2023-09-12T08:14:51Z");

        Asset phone = assets.toAsset(devices().get(2));
        assertThat(phone.name()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(phone.identity().hostname()).isEqualTo("iphone von j\u00fcrgen");
        assertThat(phone.identity().macs()).as("no Ethernet MAC (null)").containsExactly("D0:81:7A:5C:3E:6B");
        assertThat(phone.identity().serial()).isEqualTo("F17GQ2XLPLJM");
        assertThat(phone.owner()).isEqualTo(new Person("juergen.schaefer@acme.example", "J\u00fcrgen Sch\u00e4fer", null));
        assertThat(phone.attributes()).containsEntry("ownerType", "personal").containsEntry("manufacturer", "Apple");
    }

    @Test
    void textWhereAMacAddressShouldBeIsLeftOutOfTheIdentity() {
        // Graph's documentation example puts placeholder text in the MAC properties; the laptop with such text
        String placeholders = VendorTestData.read("intune", LIST).replace("\"F4267935A21C\"", "\"Wi Fi Mac Address value\"")
                .replace("\"8C8CAA4E71D0\"", "\"Ethernet Mac Address value\"");

        Asset a = assets.toAsset(IntuneClient.decodeDevices(placeholders).value().get(0));

        assertThat(a.identity().macs()).as("'Wi Fi Mac Address value' is no MAC address").isEmpty();
        assertThat(a.identity().serial()).isEqualTo("7Q2M4R3");
    }

    @Test
    void eachDeviceYieldsTheFindingsItsStateCallsFor() {
        IntuneFindingMapper mapper = new IntuneFindingMapper("Contoso.onmicrosoft.com", assets,
                IntuneConnectorConfig.REPORTABLE_STATES, Duration.ofDays(14), true);
        Instant now = Instant.parse("2024-03-10T12:00:00Z");
        String key = "intune:contoso.onmicrosoft.com:";

        List<Finding> findings = devices().stream().flatMap(d -> mapper.toFindings(d, now).stream()).toList();

        assertThat(findings).extracting(Finding::key, Finding::severity, Finding::state).containsExactly(
                tuple(key + LAPTOP + ":compliance", Severity.HIGH, FindingState.CLEARED),
                tuple(key + LAPTOP + ":checkin", Severity.MEDIUM, FindingState.CLEARED),
                tuple(key + LAPTOP + ":encryption", Severity.MEDIUM, FindingState.CLEARED),
                tuple(key + STALE_LAPTOP + ":compliance", Severity.HIGH, FindingState.PRESENT),
                tuple(key + STALE_LAPTOP + ":checkin", Severity.MEDIUM, FindingState.PRESENT),
                tuple(key + STALE_LAPTOP + ":encryption", Severity.MEDIUM, FindingState.PRESENT),
                tuple(key + PHONE + ":compliance", Severity.LOW, FindingState.PRESENT),
                tuple(key + PHONE + ":checkin", Severity.MEDIUM, FindingState.CLEARED),
                tuple(key + PHONE + ":encryption", Severity.MEDIUM, FindingState.CLEARED));
        assertThat(findings.get(4).evidence()).containsEntry("daysSinceLastSync", "19")
                .containsEntry("lastSyncDateTime", "2024-02-19T16:05:33.27Z");
        assertThat(findings.get(6).evidence()).containsEntry("complianceGracePeriodExpirationDateTime",
                "2024-03-11T06:00:00Z");
        assertThat(findings.get(6).title()).contains("iPhone von J\u00fcrgen");
    }

    @Test
    void everySelectedPropertyIsAManagedDevicePropertyInGraphsMetadata() {
        String csdl = VendorTestData.read("intune", CSDL);
        Matcher entity = Pattern.compile("<EntityType Name=\"managedDevice\".*?</EntityType>", Pattern.DOTALL).matcher(csdl);
        assertThat(entity.find()).isTrue();
        Matcher props = Pattern.compile("<Property Name=\"(\\w+)\" Type=\"([^\"]+)\"").matcher(entity.group());
        Map<String, String> types = new java.util.HashMap<>();
        while (props.find()) {
            types.put(props.group(1), props.group(2));
        }
        types.put("id", "Edm.String"); // inherited from graph.entity

        List<String> selected = Arrays.asList(IntuneManagedDevice.SELECT.split(","));
        assertThat(types).containsKeys(selected.toArray(String[]::new));
        assertThat(types.get("isEncrypted")).isEqualTo("Edm.Boolean");
        assertThat(types.get("lastSyncDateTime")).isEqualTo("Edm.DateTimeOffset");
        assertThat(types.get("complianceState")).isEqualTo("graph.complianceState");
    }

    @Test
    void theComplianceStatesReportedAreMembersOfGraphsEnum() {
        String csdl = VendorTestData.read("intune", CSDL);
        Matcher e = Pattern.compile("<EnumType Name=\"complianceState\">(.*?)</EnumType>", Pattern.DOTALL).matcher(csdl);
        assertThat(e.find()).isTrue();
        Matcher m = Pattern.compile("Member Name=\"(\\w+)\"").matcher(e.group(1));
        Set<String> members = new java.util.HashSet<>();
        while (m.find()) {
            members.add(m.group(1));
        }
        assertThat(members).containsAll(IntuneConnectorConfig.REPORTABLE_STATES).contains("compliant", "unknown");
    }

    @Test
    void aListWithoutAValueArrayOrADeviceWithoutIdIsRejected() {
        assertThatThrownBy(() -> IntuneClient.decodeDevices("[]")).isInstanceOf(DataMappingException.class)
                .hasMessageContaining("value array");
        assertThatThrownBy(() -> IntuneClient.decodeDevices("{\"value\":[{\"deviceName\":\"x\"}]}"))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("without an id");
        assertThatThrownBy(() -> IntuneClient.decodeDevices("{\"value\":[{\"id\":\"1\",\"isEncrypted\":\"maybe\"}]}"))
                .isInstanceOf(DataMappingException.class);
    }
}
