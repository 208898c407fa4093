package org.itsmhub.plugin.intune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.itsmhub.plugin.intune.dto.IntuneDevicePage;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.testkit.contract.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The real Graph material the plugin reads: the documented list response and the managedDevice CSDL. */
class IntuneFixturesTest {

    private static final String LIST = "graphdocs_v1.0_GET_deviceManagement_managedDevices_200_example.json";
    private static final String CSDL = "spec/msgraph_v1.0_managedDevice_csdl_extract.xml";

    private final IntuneAssetMapper assets = new IntuneAssetMapper("acme-intune");

    @Test
    void theDocumentedListResponseKeepsEveryMappedField() {
        IntuneDevicePage page = IntuneClient.decodeDevices(SharedFixtures.read("intune", LIST));

        assertThat(page.nextLink()).isNull();
        assertThat(page.value()).hasSize(1);
        IntuneManagedDevice d = page.value().get(0);
        assertThat(d.id()).isEqualTo("705c034c-034c-705c-4c03-5c704c035c70");
        assertThat(d.deviceName()).isEqualTo("Device Name value");
        assertThat(d.serialNumber()).isEqualTo("Serial Number value");
        assertThat(d.manufacturer()).isEqualTo("Manufacturer value");
        assertThat(d.model()).isEqualTo("Model value");
        assertThat(d.operatingSystem()).isEqualTo("Operating System value");
        assertThat(d.osVersion()).isEqualTo("Os Version value");
        assertThat(d.complianceState()).isEqualTo("compliant");
        assertThat(d.complianceGracePeriodExpirationDateTime()).isEqualTo("2016-12-31T23:56:44.951111-08:00");
        assertThat(d.lastSyncDateTime()).isEqualTo("2017-01-01T00:02:49.3205976-08:00");
        assertThat(d.enrolledDateTime()).isEqualTo("2016-12-31T23:59:43.797191-08:00");
        assertThat(d.userPrincipalName()).isEqualTo("User Principal Name value");
        assertThat(d.userDisplayName()).isEqualTo("User Display Name value");
        assertThat(d.azureAdDeviceId()).isEqualTo("Azure ADDevice Id value");
        assertThat(d.isEncrypted()).isTrue();
        assertThat(d.wiFiMacAddress()).isEqualTo("Wi Fi Mac Address value");
        assertThat(d.ethernetMacAddress()).isEqualTo("Ethernet Mac Address value");
        assertThat(d.managedDeviceOwnerType()).isEqualTo("company");
    }

    @Test
    void theDocumentedDeviceBecomesAnAssetWithoutItsPlaceholderMacs() {
        IntuneManagedDevice d = IntuneClient.decodeDevices(SharedFixtures.read("intune", LIST)).value().get(0);

        Asset a = assets.toAsset(d);

        assertThat(a.ref()).isEqualTo(ExternalRef.of("intune", "acme-intune", "705c034c-034c-705c-4c03-5c704c035c70"));
        assertThat(a.ref().url()).endsWith("/mdmDeviceId/705c034c-034c-705c-4c03-5c704c035c70");
        assertThat(a.identity().serial()).isEqualTo("Serial Number value");
        assertThat(a.identity().hostname()).isEqualTo("device name value");
        assertThat(a.identity().macs()).as("'Wi Fi Mac Address value' is no MAC address").isEmpty();
        assertThat(a.identity().vendorIds()).containsExactly(
                Map.entry("intuneDeviceId", "705c034c-034c-705c-4c03-5c704c035c70"),
                Map.entry("azureAdDeviceId", "Azure ADDevice Id value"));
        assertThat(a.name()).isEqualTo("Device Name value");
        assertThat(a.os()).isEqualTo("Operating System value");
        assertThat(a.osVersion()).isEqualTo("Os Version value");
        assertThat(a.owner()).isEqualTo(new Person("User Principal Name value", "User Display Name value", null));
        assertThat(a.lastSeen()).isEqualTo(Instant.parse("2017-01-01T08:02:49.3205976Z"));
        assertThat(a.attributes()).containsEntry("manufacturer", "Manufacturer value")
                .containsEntry("model", "Model value").containsEntry("complianceState", "compliant")
                .containsEntry("isEncrypted", "true").containsEntry("ownerType", "company")
                .containsEntry("enrolledDateTime", "2016-12-31T23:59:43.797191-08:00");
    }

    @Test
    void theDocumentedDeviceIsCompliantAndEncryptedButLongSinceCheckedIn() {
        IntuneManagedDevice d = IntuneClient.decodeDevices(SharedFixtures.read("intune", LIST)).value().get(0);
        IntuneFindingMapper mapper = new IntuneFindingMapper("Contoso.onmicrosoft.com", assets,
                IntuneConnectorConfig.REPORTABLE_STATES, Duration.ofDays(14), true);

        List<Finding> findings = mapper.toFindings(d, Instant.parse("2017-02-01T00:00:00Z"));

        assertThat(findings).extracting(Finding::key, Finding::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("intune:contoso.onmicrosoft.com:705c034c-034c-705c-4c03-5c704c035c70:compliance",
                        FindingState.CLEARED),
                org.assertj.core.groups.Tuple.tuple("intune:contoso.onmicrosoft.com:705c034c-034c-705c-4c03-5c704c035c70:checkin",
                        FindingState.PRESENT),
                org.assertj.core.groups.Tuple.tuple("intune:contoso.onmicrosoft.com:705c034c-034c-705c-4c03-5c704c035c70:encryption",
                        FindingState.CLEARED));
        assertThat(findings.get(1).evidence()).containsEntry("daysSinceLastSync", "30")
                .containsEntry("lastSyncDateTime", "2017-01-01T00:02:49.3205976-08:00");
    }

    @Test
    void everySelectedPropertyIsAManagedDevicePropertyInGraphsMetadata() {
        String csdl = SharedFixtures.read("intune", CSDL);
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
        String csdl = SharedFixtures.read("intune", CSDL);
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
