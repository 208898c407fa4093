package org.itsmhub.plugin.intune;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;

/**
 * The checks run on each managed device, as {@code DEVICE_NON_COMPLIANCE} findings. Each check
 * reports PRESENT when the device shows the problem, CLEARED when the device positively shows it is
 * gone (compliant, a recent check-in, encrypted), and nothing when the device says neither (state
 * unknown or configManager, no check-in time, no encryption flag).
 *
 * <p>Key: {@code intune:<tenant.id>:<device id>:<check>}, with check {@code compliance},
 * {@code checkin} or {@code encryption}; the same on every poll, whatever the device's state.
 */
final class IntuneFindingMapper {

    static final String CHECK_COMPLIANCE = "compliance";
    static final String CHECK_CHECKIN = "checkin";
    static final String CHECK_ENCRYPTION = "encryption";

    private final String tenantId;
    private final IntuneAssetMapper assets;
    private final Set<String> reportedStates;
    private final Duration staleAfter;
    private final boolean checkEncryption;

    IntuneFindingMapper(String tenantId, IntuneAssetMapper assets, Set<String> reportedStates, Duration staleAfter,
            boolean checkEncryption) {
        this.tenantId = tenantId.toLowerCase(Locale.ROOT);
        this.assets = assets;
        this.reportedStates = Set.copyOf(reportedStates);
        this.staleAfter = staleAfter;
        this.checkEncryption = checkEncryption;
    }

    /** How many findings one device can yield at most (for page sizing). */
    int checksPerDevice() {
        return 1 + (staleAfter.isZero() ? 0 : 1) + (checkEncryption ? 1 : 0);
    }

    /** Every finding one device yields, observed at {@code now}. */
    List<Finding> toFindings(IntuneManagedDevice d, Instant now) {
        List<Finding> out = new ArrayList<>(3);
        compliance(d, now, out);
        if (!staleAfter.isZero()) {
            checkin(d, now, out);
        }
        if (checkEncryption) {
            encryption(d, now, out);
        }
        return out;
    }

    String key(IntuneManagedDevice d, String check) {
        return "intune:" + tenantId + ":" + d.id() + ":" + check;
    }

    private void compliance(IntuneManagedDevice d, Instant now, List<Finding> out) {
        String state = d.complianceState();
        Map<String, String> evidence = evidence(d);
        if ("compliant".equals(state)) {
            out.add(finding(d, CHECK_COMPLIANCE, Severity.HIGH, FindingState.CLEARED,
                    "Device " + label(d) + " is compliant", null, null, evidence, now));
        } else if (state != null && reportedStates.contains(state)) {
            String grace = d.complianceGracePeriodExpirationDateTime();
            if ("inGracePeriod".equals(state) && grace != null) {
                evidence.put("complianceGracePeriodExpirationDateTime", grace);
            }
            out.add(finding(d, CHECK_COMPLIANCE, complianceSeverity(state), FindingState.PRESENT,
                    "Device " + label(d) + " is not compliant (" + state + ")", complianceDetail(state),
                    "Open the device in the Intune admin center (Devices > Monitor > Noncompliant devices), see which "
                            + "compliance policy setting fails and remediate it; the device must then check in.",
                    evidence, now));
        }
    }

    private void checkin(IntuneManagedDevice d, Instant now, List<Finding> out) {
        Instant lastSync = IntuneAssetMapper.instant(d.lastSyncDateTime(), "lastSyncDateTime");
        if (lastSync == null) {
            return; // never checked in, or Graph did not say: no observation either way
        }
        Duration age = Duration.between(lastSync, now);
        Map<String, String> evidence = evidence(d);
        evidence.put("staleAfter", staleAfter.toString());
        evidence.put("daysSinceLastSync", Long.toString(Math.max(0, age.toDays())));
        if (age.compareTo(staleAfter) > 0) {
            out.add(finding(d, CHECK_CHECKIN, Severity.MEDIUM, FindingState.PRESENT,
                    "Device " + label(d) + " has not checked in for " + age.toDays() + " days",
                    "Intune last heard from the device at " + lastSync + ", longer ago than " + staleAfter
                            + ": its compliance and protection state are out of date, it may be lost, off or broken.",
                    "Have the user connect the device and sync it (Company Portal > Sync), or retire it in Intune if it "
                            + "is no longer in use.",
                    evidence, now));
        } else {
            out.add(finding(d, CHECK_CHECKIN, Severity.MEDIUM, FindingState.CLEARED,
                    "Device " + label(d) + " checked in recently", null, null, evidence, now));
        }
    }

    private void encryption(IntuneManagedDevice d, Instant now, List<Finding> out) {
        if (d.isEncrypted() == null) {
            return;
        }
        Map<String, String> evidence = evidence(d);
        if (d.isEncrypted()) {
            out.add(finding(d, CHECK_ENCRYPTION, Severity.MEDIUM, FindingState.CLEARED,
                    "Disk of device " + label(d) + " is encrypted", null, null, evidence, now));
        } else {
            out.add(finding(d, CHECK_ENCRYPTION, Severity.MEDIUM, FindingState.PRESENT,
                    "Disk of device " + label(d) + " is not encrypted",
                    "Intune reports isEncrypted = false: data on the device is readable if it is lost or stolen.",
                    "Enable BitLocker (Windows), FileVault (macOS) or device encryption (mobile), e.g. with an Intune "
                            + "endpoint security disk encryption policy.",
                    evidence, now));
        }
    }

    private Finding finding(IntuneManagedDevice d, String check, Severity severity, FindingState state, String title,
            String detail, String solution, Map<String, String> evidence, Instant now) {
        ExternalRef source = assets.ref(d);
        AssetIdentity identity = IntuneAssetMapper.identity(d);
        return new Finding(key(d, check), FindingKind.DEVICE_NON_COMPLIANCE, severity, state, title, detail, solution,
                source, identity, evidence, null, now);
    }

    /** noncompliant is the real thing; conflict and error mean Intune could not say compliant; grace is a warning. */
    static Severity complianceSeverity(String state) {
        return switch (state) {
            case "noncompliant" -> Severity.HIGH;
            case "inGracePeriod" -> Severity.LOW;
            default -> Severity.MEDIUM; // conflict, error
        };
    }

    private static String complianceDetail(String state) {
        return switch (state) {
            case "noncompliant" -> "The device fails at least one assigned compliance policy.";
            case "inGracePeriod" -> "The device fails a compliance policy but is still within the policy's grace "
                    + "period; it becomes noncompliant when the grace period ends.";
            case "conflict" -> "Assigned compliance policies conflict with each other, so Intune cannot call the device "
                    + "compliant.";
            default -> "Intune failed to evaluate the device's compliance (state error).";
        };
    }

    private static Map<String, String> evidence(IntuneManagedDevice d) {
        Map<String, String> e = new LinkedHashMap<>();
        putIf(e, "complianceState", d.complianceState());
        putIf(e, "lastSyncDateTime", d.lastSyncDateTime());
        putIf(e, "isEncrypted", d.isEncrypted() == null ? null : d.isEncrypted().toString());
        putIf(e, "operatingSystem", d.operatingSystem());
        putIf(e, "osVersion", d.osVersion());
        putIf(e, "userPrincipalName", d.userPrincipalName());
        // one check-in is one observation, however often the devices are polled in between
        putIf(e, Finding.OBSERVATION, d.lastSyncDateTime() == null ? null : "check-in " + d.lastSyncDateTime());
        return e;
    }

    private static void putIf(Map<String, String> map, String key, String value) {
        String v = IntuneAssetMapper.blankToNull(value);
        if (v != null) {
            map.put(key, v);
        }
    }

    private static String label(IntuneManagedDevice d) {
        String name = IntuneAssetMapper.blankToNull(d.deviceName());
        return name != null ? name : d.id();
    }
}
