package org.itsmhub.plugin.intune;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Person;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;

/** Intune managed devices as canonical assets, and the device identity findings point at. */
final class IntuneAssetMapper {

    static final String VENDOR_ID_INTUNE = "intuneDeviceId";
    static final String VENDOR_ID_AZURE_AD = "azureAdDeviceId";

    /** Values Graph and OEM firmware put where nothing identifies the device. */
    private static final Set<String> NO_SERIAL = Set.of("0", "none", "unknown", "default string", "defaultstring",
            "to be filled by o.e.m.", "system serial number", "123456789");
    private static final String NO_GUID = "00000000-0000-0000-0000-000000000000";
    /** Graph's "never": {@code 0001-01-01T00:00:00Z}. */
    private static final Instant NEVER_BEFORE = Instant.parse("1970-01-02T00:00:00Z");

    private final String connection;

    IntuneAssetMapper(String connection) {
        this.connection = connection;
    }

    Asset toAsset(IntuneManagedDevice d) {
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "manufacturer", d.manufacturer());
        put(attributes, "model", d.model());
        put(attributes, "complianceState", d.complianceState());
        put(attributes, "isEncrypted", d.isEncrypted() == null ? null : d.isEncrypted().toString());
        put(attributes, "ownerType", d.managedDeviceOwnerType());
        put(attributes, "enrolledDateTime", d.enrolledDateTime());
        return new Asset(ref(d), identity(d), blankToNull(d.deviceName()), blankToNull(d.operatingSystem()),
                blankToNull(d.osVersion()), owner(d), instant(d.lastSyncDateTime(), "lastSyncDateTime"), attributes);
    }

    ExternalRef ref(IntuneManagedDevice d) {
        return new ExternalRef(IntuneConnectorFactory.VENDOR, connection, d.id(),
                "https://intune.microsoft.com/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/"
                        + d.id());
    }

    /** Serial, device name, MACs, Intune and Entra device ids; placeholders and zero values left out. */
    static AssetIdentity identity(IntuneManagedDevice d) {
        String serial = blankToNull(d.serialNumber());
        if (serial != null && NO_SERIAL.contains(serial.toLowerCase(Locale.ROOT))) {
            serial = null;
        }
        List<String> macs = new ArrayList<>();
        addMac(macs, d.wiFiMacAddress());
        addMac(macs, d.ethernetMacAddress());
        Map<String, String> vendorIds = new LinkedHashMap<>();
        vendorIds.put(VENDOR_ID_INTUNE, d.id());
        String aad = blankToNull(d.azureAdDeviceId());
        if (aad != null && !aad.equals(NO_GUID)) {
            vendorIds.put(VENDOR_ID_AZURE_AD, aad);
        }
        return new AssetIdentity(serial, d.deviceName(), null, macs, List.of(), vendorIds);
    }

    /** A Graph timestamp as an instant; null when absent or Graph's "never" (year 1). */
    static Instant instant(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant i = OffsetDateTime.parse(value.trim()).toInstant();
            return i.isBefore(NEVER_BEFORE) ? null : i;
        } catch (DateTimeParseException e) {
            throw new DataMappingException("Intune managed device has an unreadable " + field + ": '" + value + "'", e);
        }
    }

    private static Person owner(IntuneManagedDevice d) {
        String upn = blankToNull(d.userPrincipalName());
        String name = blankToNull(d.userDisplayName());
        if (upn == null && name == null) {
            return null;
        }
        return new Person(upn, name, null); // a UPN looks like an e-mail address but need not be one
    }

    /** Keeps a MAC only when it is one: 12 hex digits, not all zero (Graph sends "" or zeros when unknown). */
    private static void addMac(List<String> macs, String mac) {
        if (mac == null) {
            return;
        }
        String hex = mac.replaceAll("[-:.\\s]", "");
        if (hex.matches("[0-9A-Fa-f]{12}") && !hex.matches("0{12}")) {
            macs.add(AssetIdentity.normaliseMac(hex));
        }
    }

    private static void put(Map<String, String> map, String key, String value) {
        String v = blankToNull(value);
        if (v != null) {
            map.put(key, v);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
