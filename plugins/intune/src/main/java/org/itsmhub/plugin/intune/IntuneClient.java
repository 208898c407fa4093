package org.itsmhub.plugin.intune;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.intune.dto.IntuneDevicePage;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.json.JsonRecords;

/**
 * Microsoft Graph v1.0, the one endpoint the connector reads. The bearer token comes from the
 * client's auth interceptor ({@link IntuneTokenProvider}); every failure comes out classified.
 */
final class IntuneClient {

    private static final String DEVICES_PATH = "v1.0/deviceManagement/managedDevices";

    private final HttpExecutor http;
    private final HttpUrl graph;
    private final IntuneTokenProvider tokens;

    IntuneClient(HttpExecutor http, HttpUrl graph, IntuneTokenProvider tokens) {
        this.http = http;
        this.graph = graph;
        this.tokens = tokens;
    }

    /**
     * The first page of the tenant's managed devices, with the mapped properties only.
     * https://learn.microsoft.com/en-us/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0
     */
    Devices listManagedDevices(String select, int top) {
        HttpUrl url = graph.newBuilder().addPathSegments(DEVICES_PATH)
                .addQueryParameter("$select", select)
                .addQueryParameter("$top", Integer.toString(top))
                .build();
        return devices(url);
    }

    /**
     * A further page: the {@code @odata.nextLink} of the previous one, followed as is.
     * https://learn.microsoft.com/en-us/graph/paging
     */
    Devices nextManagedDevices(String nextLink) {
        return devices(checkedNextLink(nextLink));
    }

    private Devices devices(HttpUrl url) {
        Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
        try {
            return http.execute("list managed devices", request, r -> {
                try (ResponseBody b = r.body()) {
                    return decodeDevicePage(b.string());
                }
            });
        } catch (AuthenticationException e) {
            tokens.invalidate(); // a revoked or expired token must not be reused by the next call
            throw e;
        }
    }

    /**
     * The bearer token goes wherever a next link points, so only links into the configured Graph
     * root are followed: a link elsewhere (a tampered cursor or answer) is refused.
     */
    private HttpUrl checkedNextLink(String nextLink) {
        HttpUrl url = HttpUrl.parse(nextLink);
        if (url == null || !url.scheme().equals(graph.scheme()) || !url.host().equals(graph.host())
                || url.port() != graph.port() || !url.encodedPath().startsWith(graph.encodedPath())) {
            throw new DataMappingException("Intune @odata.nextLink does not point into graph.url " + graph + ": '"
                    + nextLink + "'");
        }
        return url;
    }

    /** One page of devices, the ones that could not be read set apart. */
    record Devices(java.util.List<IntuneManagedDevice> value, String nextLink,
            java.util.List<org.itsmhub.api.connector.RejectedRecord> rejected) {
    }

    /** Decodes one page, failing on the first device that cannot be read (package-visible for the fixture tests). */
    static IntuneDevicePage decodeDevices(String json) {
        Devices page = decodeDevicePage(json);
        if (!page.rejected().isEmpty()) {
            throw new DataMappingException(page.rejected().get(0).reason());
        }
        return new IntuneDevicePage(page.value(), page.nextLink());
    }

    /**
     * Decodes one page device by device: one without an id, with a field of the wrong type or an
     * unreadable lastSyncDateTime is rejected, not the page.
     */
    static Devices decodeDevicePage(String json) {
        var node = JsonCodec.readTree(json, "Intune managed device list");
        if (node == null || !node.isObject() || !node.path("value").isArray()) {
            throw new DataMappingException("Intune managed device list is not the expected JSON: "
                    + "expected an object with a value array");
        }
        JsonRecords.Decoded<IntuneManagedDevice> devices = JsonRecords.each(node.get("value"), "id", element -> {
            IntuneManagedDevice d;
            try {
                d = JsonCodec.mapper().treeToValue(element, IntuneManagedDevice.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new DataMappingException("Intune managed device is not the expected JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (d.id() == null || d.id().isBlank()) {
                throw new DataMappingException("Intune managed device list holds a device without an id");
            }
            IntuneAssetMapper.instant(d.lastSyncDateTime(), "lastSyncDateTime");
            return d;
        });
        var next = node.path("@odata.nextLink");
        return new Devices(devices.items(), next.isTextual() ? next.textValue() : null, devices.rejected());
    }
}
