package org.itsmhub.plugin.intune;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.json.JsonCodec;

import static org.itsmhub.plugin.intune.IntuneConnectorConfig.*;

/**
 * Assets and compliance findings from one tenant's Intune managed devices. Each stream sweeps the
 * whole device list page by page ({@link IntuneCursor}); {@code ReadRequest.since} is ignored, since
 * a device that stopped checking in must be seen to be reported. Thread-safe: the only mutable
 * state, the token cache, is synchronised.
 */
final class IntuneConnector implements Connector, AssetSource, FindingSource {

    /** Graph pages managedDevices in at most 1000 records; a larger $top is not honoured. */
    static final int MAX_TOP = 1000;

    private final IntuneClient client;
    private final IntuneTokenProvider tokens;
    private final IntuneAssetMapper assetMapper;
    private final IntuneFindingMapper findingMapper;
    private final Clock clock;

    IntuneConnector(IntuneClient client, IntuneTokenProvider tokens, IntuneAssetMapper assetMapper,
            IntuneFindingMapper findingMapper, Clock clock) {
        this.client = client;
        this.tokens = tokens;
        this.assetMapper = assetMapper;
        this.findingMapper = findingMapper;
        this.clock = clock;
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            tokens.token();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(credentialKey(e.getMessage()), "Microsoft Entra refused the sign-in: "
                    + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (ConnectorException e) {
            return List.of(new ConfigProblem(AUTHORITY, "cannot get a token: " + e.getMessage()));
        }
        try {
            client.listManagedDevices("id", 1);
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(CLIENT_ID, "Graph refused to list managed devices; grant the app the "
                    + "application permission DeviceManagementManagedDevices.Read.All with admin consent: " + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (ConnectorException e) {
            return List.of(new ConfigProblem(GRAPH_URL, "cannot list managed devices: " + e.getMessage()));
        }
    }

    /** The key an identity-platform error is about, from its AADSTS code. */
    private static String credentialKey(String message) {
        if (message.contains("AADSTS90002") || message.contains("AADSTS900023")) {
            return TENANT_ID; // tenant not found / not a valid tenant
        }
        if (message.contains("AADSTS700016") || message.contains("unauthorized_client")) {
            return CLIENT_ID; // application not found in the tenant
        }
        return CLIENT_SECRET;
    }

    /** Every cycle sweeps all devices (see the class comment), so no time bounds a read. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        return Optional.empty();
    }

    @Override
    public Page<Asset> readAssets(ReadRequest request) {
        return sweep(request, request.pageSize(), (d, now) -> List.of(assetMapper.toAsset(d)));
    }

    @Override
    public Page<Finding> readFindings(ReadRequest request) {
        int top = Math.max(1, request.pageSize() / findingMapper.checksPerDevice());
        return sweep(request, top, findingMapper::toFindings);
    }

    /** One page of the sweep; a device that cannot be mapped is rejected, the others go on. */
    private <T> Page<T> sweep(ReadRequest request, int top,
            BiFunction<IntuneManagedDevice, Instant, List<T>> map) {
        IntuneCursor from = request.cursor() == null ? null : IntuneCursor.decode(request.cursor());
        IntuneClient.Devices page = from != null && from.midSweep() ? client.nextManagedDevices(from.nextLink())
                : client.listManagedDevices(IntuneManagedDevice.SELECT, Math.min(top, MAX_TOP));
        Instant now = clock.instant();
        List<T> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>(page.rejected());
        for (IntuneManagedDevice d : page.value()) {
            try {
                items.addAll(map.apply(d, now));
            } catch (DataMappingException | IllegalArgumentException e) {
                rejected.add(RejectedRecord.of(d.id(), e.getMessage(), JsonCodec.write(d)));
            }
        }
        if (page.nextLink() != null && !page.nextLink().isBlank()) {
            return new Page<>(items, IntuneCursor.next(page.nextLink()).encode(), true, rejected);
        }
        return new Page<>(items, IntuneCursor.swept(now).encode(), false, rejected);
    }

    @Override
    public void close() {
        // the OkHttp client is shared per plugin; nothing of our own to release
    }
}
