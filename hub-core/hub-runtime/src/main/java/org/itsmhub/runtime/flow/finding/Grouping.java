package org.itsmhub.runtime.flow.finding;

import java.util.Locale;

import org.itsmhub.api.model.Finding;

/** How findings are gathered into tickets. */
enum Grouping {
    /** One ticket per finding (the default). */
    FINDING,
    /** One ticket per affected asset, listing all its findings. */
    ASSET,
    /** One ticket per problem (e.g. one vulnerability) across every affected asset. */
    VULNERABILITY;

    static Grouping parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "finding" -> FINDING;
            case "asset" -> ASSET;
            case "vulnerability" -> VULNERABILITY;
            default -> throw new IllegalArgumentException("grouping must be finding, asset or vulnerability, was '"
                    + text + "'");
        };
    }

    /** The key of the ticket group this finding belongs to. */
    String groupOf(Finding finding, String assetKey) {
        return switch (this) {
            case FINDING -> "finding:" + finding.key();
            case ASSET -> assetKey != null ? "asset:" + assetKey
                    : "source:" + (finding.source() == null ? finding.key() : finding.source().connection() + "/"
                            + finding.source().id());
            case VULNERABILITY -> "problem:" + finding.problem();
        };
    }
}
