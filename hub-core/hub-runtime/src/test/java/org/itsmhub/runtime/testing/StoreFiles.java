package org.itsmhub.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.NewLink;
import org.itsmhub.runtime.store.RecordKind;
import org.itsmhub.runtime.store.RecordRef;

/** Store files as an admin finds them: full of links, or damaged by a disk or a careless copy. */
public final class StoreFiles {

    private StoreFiles() {
    }

    /** Links {@code count} Freshdesk tickets to ServiceNow incidents in tenant acme. */
    public static void link(HubStore store, int count) {
        for (int i = 0; i < count; i++) {
            store.links().upsert(new NewLink("acme", "acme-tickets", RecordKind.TICKET,
                    new RecordRef("freshdesk", "acme-desk", Integer.toString(i), "https://acme.freshdesk.com/a/tickets/" + i),
                    new RecordRef("servicenow", "acme-snow", "%032x".formatted(i),
                            "https://acme.service-now.com/incident.do?sys_id=" + "%032x".formatted(i)),
                    "ih:acme-desk:" + i, "2026-01-01T00:00:" + (i % 60) + "Z", "v" + i));
        }
    }

    /** Overwrites {@code bytes} bytes in the middle of {@code file} with random garbage. */
    public static void overwriteMiddle(Path file, int bytes) {
        byte[] garbage = new byte[bytes];
        new Random(42).nextBytes(garbage);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(garbage), channel.size() / 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
