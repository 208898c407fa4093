package org.itsmhub.plugin.nessus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.itsmhub.plugin.nessus.dto.NessusExport;
import org.itsmhub.plugin.nessus.dto.NessusExportStatus;
import org.itsmhub.plugin.nessus.dto.NessusScanList;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.ResponseSizeLimit;
import org.itsmhub.plugin.support.json.JsonCodec;

/**
 * The Nessus REST calls the connector makes, one method per endpoint (Tenable's API reference:
 * https://developer.tenable.com/reference/navigate, "Nessus" section; the server also documents it
 * at {@code https://HOST:8834/api}). Thread-safe.
 */
final class NessusClient {

    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpExecutor http;
    private final HttpUrl base;

    NessusClient(HttpExecutor http, HttpUrl base) {
        this.http = http;
        this.base = base;
    }

    /** {@code GET /scans[?folder_id=F][&last_modification_date=T]}: scans changed after T (epoch seconds). */
    List<NessusScanList.Scan> listScans(Integer folderId, Long modifiedAfter) {
        HttpUrl.Builder url = base.newBuilder().addPathSegment("scans");
        if (folderId != null) {
            url.addQueryParameter("folder_id", folderId.toString());
        }
        if (modifiedAfter != null) {
            url.addQueryParameter("last_modification_date", modifiedAfter.toString());
        }
        NessusScanList list = http.execute("list scans", new Request.Builder().url(url.build()).get().build(),
                r -> JsonCodec.read(r.body().byteStream(), NessusScanList.class, "Nessus scan list"));
        return list.scans() == null ? List.of() : list.scans();
    }

    /** {@code POST /scans/{id}/export} with {@code {"format":"nessus"}}: the export's file id. */
    String requestExport(long scanId) {
        HttpUrl url = base.newBuilder().addPathSegment("scans").addPathSegment(Long.toString(scanId))
                .addPathSegment("export").build();
        NessusExport export = http.execute("export scan " + scanId, new Request.Builder().url(url)
                        .post(RequestBody.create("{\"format\":\"nessus\"}", JSON)).build(),
                r -> JsonCodec.read(r.body().byteStream(), NessusExport.class, "Nessus export"));
        if (export.file() == null || export.file().isBlank()) {
            throw http.classifier().malformed("export scan " + scanId, "no file id in the answer");
        }
        return export.file();
    }

    /** {@code GET /scans/{id}/export/{file}/status}: true once the export is {@code ready}. */
    boolean exportReady(long scanId, String file) {
        HttpUrl url = exportUrl(scanId, file).addPathSegment("status").build();
        NessusExportStatus status = http.execute("export status of scan " + scanId,
                new Request.Builder().url(url).get().build(),
                r -> JsonCodec.read(r.body().byteStream(), NessusExportStatus.class, "Nessus export status"));
        return "ready".equalsIgnoreCase(status.status());
    }

    /** {@code GET /scans/{id}/export/{file}/download}, streamed into {@code target} (never held in memory). */
    void download(long scanId, String file, Path target) {
        HttpUrl url = exportUrl(scanId, file).addPathSegment("download").build();
        // streamed to disk, so not held to max.response.size (exports can be hundreds of MB)
        http.execute("download export of scan " + scanId,
                ResponseSizeLimit.streamedToFile(new Request.Builder().url(url).get()).build(), r -> {
            try (InputStream in = r.body().byteStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        });
    }

    private HttpUrl.Builder exportUrl(long scanId, String file) {
        return base.newBuilder().addPathSegment("scans").addPathSegment(Long.toString(scanId))
                .addPathSegment("export").addPathSegment(file);
    }
}
