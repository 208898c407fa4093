package org.itsmhub.plugin.intune.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code managedDevice} properties the connector selects and maps; timestamps stay text
 * (Graph writes them with offsets and up to seven fractional digits).
 * https://learn.microsoft.com/en-us/graph/api/resources/intune-devices-manageddevice?view=graph-rest-1.0
 */
public record IntuneManagedDevice(
        String id,
        String deviceName,
        String serialNumber,
        String manufacturer,
        String model,
        String operatingSystem,
        String osVersion,
        String complianceState,
        String complianceGracePeriodExpirationDateTime,
        String lastSyncDateTime,
        String enrolledDateTime,
        String userPrincipalName,
        String userDisplayName,
        @JsonProperty("azureADDeviceId") String azureAdDeviceId,
        Boolean isEncrypted,
        @JsonProperty("wiFiMacAddress") String wiFiMacAddress,
        String ethernetMacAddress,
        String managedDeviceOwnerType) {

    /** The property names above, as {@code $select} sends them. */
    public static final String SELECT = "id,deviceName,serialNumber,manufacturer,model,operatingSystem,osVersion,"
            + "complianceState,complianceGracePeriodExpirationDateTime,lastSyncDateTime,enrolledDateTime,"
            + "userPrincipalName,userDisplayName,azureADDeviceId,isEncrypted,wiFiMacAddress,ethernetMacAddress,"
            + "managedDeviceOwnerType";
}
