package org.itsmhub.plugin.veeam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.plugin.veeam.dto.VeeamJob;

/**
 * Protected machines from the objects a job includes. Only machine-like objects become assets (VMs,
 * vApps, cloud VMs); containers a job may include (hosts, clusters, folders, tags, datastores) do
 * not, since the API lists them without their members. A machine is identified by its hypervisor
 * or cloud host and its object id there ({@code hostName/objectId}); the VM name is a display name,
 * not a host name, so it is not used as identity.
 */
final class VeeamAssetMapper {

    static final Set<String> MACHINE_TYPES = Set.of("VirtualMachine", "vApp", "VM", "Vm", "CloudVm");

    private final String connection;

    VeeamAssetMapper(String connection) {
        this.connection = connection;
    }

    boolean isMachine(VeeamJob.InventoryObject o) {
        return o.type() != null && MACHINE_TYPES.contains(o.type()) && o.objectId() != null && o.hostName() != null;
    }

    Asset toAsset(VeeamJob job, VeeamJob.InventoryObject o) {
        String id = o.hostName() + "/" + o.objectId();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("inventoryType", o.type());
        attributes.put("inventoryHost", o.hostName());
        if (o.platform() != null) {
            attributes.put("platform", o.platform());
        }
        if (o.urn() != null) {
            attributes.put("urn", o.urn());
        }
        attributes.put("protectedByJobId", job.id());
        attributes.put("protectedByJobName", job.name());
        AssetIdentity identity = new AssetIdentity(null, null, null, null, null, Map.of("veeam.inventoryObject", id));
        return new Asset(ExternalRef.of(VeeamConnectorFactory.VENDOR, connection, id), identity, o.name(), null, null,
                null, null, attributes);
    }
}
