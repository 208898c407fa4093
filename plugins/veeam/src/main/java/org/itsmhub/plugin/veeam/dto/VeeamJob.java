package org.itsmhub.plugin.veeam.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One entry of {@code GET /api/v1/jobs} (JobModel and its per-type subtypes). Only the protected
 * objects are read: {@code virtualMachines.includes} of VM backup and replica jobs.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VeeamJob(String id, String name, String type, String description, Boolean isDisabled,
        VirtualMachines virtualMachines) {

    public List<InventoryObject> includedObjects() {
        if (virtualMachines == null || virtualMachines.includes() == null) {
            return List.of();
        }
        return virtualMachines.includes().stream().map(Include::object).filter(o -> o != null).toList();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VirtualMachines(List<Include> includes) {
    }

    /**
     * An included object. The spec's list example nests it as {@code inventoryObject} (with a
     * {@code size} beside it); the single-job examples carry the fields flat. Both are read.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Include(InventoryObject inventoryObject, String type, String hostName, String name,
            String objectId, String urn, String platform, String size) {

        public InventoryObject object() {
            if (inventoryObject != null) {
                return inventoryObject;
            }
            return objectId == null ? null : new InventoryObject(type, hostName, name, objectId, urn, platform);
        }
    }

    /** InventoryObjectModel: a VM, host, folder, tag, vApp... in the virtual infrastructure. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InventoryObject(String type, String hostName, String name, String objectId, String urn,
            String platform) {
    }
}
