package org.itsmhub.runtime.assets;

import java.time.Instant;

/**
 * Why a record is in the asset it is in, or why it is not in another one.
 *
 * @param action       {@code new} (first record of a new asset), {@code match} (joined an asset),
 *                     {@code merge} (two assets became one), {@code conflict} (shared an attribute
 *                     but not merged: different serials or vendor ids), {@code weak} (shares only an
 *                     IP address: never merged)
 * @param recordRef    the record that was read, {@code system:connection/id}
 * @param attribute    the attribute that matched ({@code serial}, {@code mac}, ...), or null
 * @param value        its value, or null
 * @param otherRef     the record it matched, or null
 * @param otherAssetId the other asset (merged away, or not merged because of a conflict), or null
 * @param detail       a sentence for humans
 */
public record Evidence(long id, long assetId, String action, String recordRef, String attribute, String value,
        String otherRef, Long otherAssetId, String detail, Instant at) {
}
