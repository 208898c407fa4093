package org.itsmhub.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.itsmhub.runtime.testing.HubFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * Hostile config files given to {@code itsm-hub validate}: each is refused with one problem at its
 * FILE:LINE:COLUMN and exit code 2, in well under a second of work. (The timeout only keeps a
 * regression from hanging the build; it is no performance assertion.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ValidateHostileFilesTest {

    @TempDir
    static Path home;

    private static HubFixture fixture;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The fixture's hub section takes 5 lines: what a test writes starts on line 6. */
    private static final int FIRST = 6;

    @BeforeAll
    static void install() {
        fixture = new HubFixture(home);
    }

    @Test
    void aBillionLaughsIsRefusedAtTheAliasThatCrossesTheLimit() {
        StringBuilder yaml = new StringBuilder("tenants: {}\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("lol").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        }
        Path config = fixture.config(yaml.toString());

        // the anchors up to a5 hold about 672,000 values and a5 stands for 597,871: the first alias to
        // it (line lol6) crosses 1,000,000
        assertRefused(config, (FIRST + 7) + ":12: ",
                "aliases make the file hold more than the limit of 1,000,000 values, counting each alias as every value it repeats");
    }

    @Test
    void aSixteenMegabyteFileIsRefusedBeforeItIsRead() throws IOException {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?"));
        Files.writeString(config, Files.readString(config) + "# " + "x".repeat(16 * 1024 * 1024) + "\n");

        assertRefused(config, "1:1: ", "the config file is larger than the limit of 2 MiB");
    }

    @Test
    void aOneMegabyteValueOnOneLineIsRefusedAtThatLine() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?")
                .replace("api.key: \"${file:probe.key}\"", "api.key: " + "k".repeat(1024 * 1024)));

        assertRefused(config, (FIRST + 5) + ":65537: ", "line " + (FIRST + 5) + " is longer than the limit of 65,536 characters");
    }

    @Test
    void aValueOverManyLinesLongerThanTheLimitIsRefusedWhereItStarts() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?")
                .replace("api.key: \"${file:probe.key}\"", "api.key: |\n" + ("          " + "k".repeat(70) + "\n").repeat(1000)));

        assertRefused(config, (FIRST + 5) + ":18: ", "a value longer than the limit of 65,536 characters");
    }

    @Test
    void fiveThousandNestedListsAreRefusedAtTheFirstLevelTooDeep() {
        Path config = fixture.config("tenants: " + "[".repeat(5000) + "]".repeat(5000) + "\n");

        // the root mapping is level 1, so the 64th '[' (column 10 + 63) is level 65
        assertRefused(config, FIRST + ":73: ", "mappings and lists nested deeper than the limit of 64 levels");
    }

    @Test
    void deeplyNestedMappingsAreRefusedToo() {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (int i = 0; i < 100; i++) {
            yaml.append(" ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        Path config = fixture.config(yaml.toString());

        // level 1 is the root, level 2 the value of tenants (line FIRST + 1), level 65 that of k62
        assertRefused(config, (FIRST + 64) + ":65: ", "mappings and lists nested deeper than the limit of 64 levels");
    }

    @Test
    void aRootTagNamingTheConfigClassIsRefusedLikeAnyOtherTag() throws IOException {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?"));
        Files.writeString(config, "!!org.itsmhub.runtime.config.HubConfig\n" + Files.readString(config));

        assertRefused(config, "1:1: ", "YAML tags are not supported (!!org.itsmhub.runtime.config.HubConfig)");
    }

    @Test
    void anAliasInsideItsOwnAnchorIsRefusedInsteadOfOverflowingTheStack() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?")
                .replace("api.key: \"${file:probe.key}\"", "api.key: \"${file:probe.key}\"\n        tickets: &t [a, *t]"));

        assertRefused(config, (FIRST + 6) + ":25: ", "a YAML alias may not refer to a node that contains it");
    }

    @Test
    void aFileReferenceToAHugeFileIsRefusedAtTheReference() throws IOException {
        Files.writeString(home.resolve("huge.key"), "k".repeat(1024 * 1024));
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?").replace("probe.key", "huge.key"));

        assertRefused(config, (FIRST + 5) + ":18: ", "is larger than the limit of 64 KiB");
    }

    private void assertRefused(Path config, String position, String message) {
        assertThat(run("validate", "--config", config.toString())).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().lines().filter(l -> l.startsWith(config.toString())))
                .singleElement().asString().startsWith(config + ":" + position).contains(message);
        assertThat(err.toString()).contains("has 1 problem(s)").doesNotContain("Exception", "\tat ");
    }

    private int run(String... args) {
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
