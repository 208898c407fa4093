package org.itsmhub.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigDefTest {

    private final ConfigDef def = new ConfigDef()
            .define("base.url", ConfigType.URL, "The vendor URL.", ConfigValidator.httpsOrLoopback())
            .define("api.key", ConfigType.SECRET, "The API key.", ConfigValidator.notBlank())
            .defineOptional("page.size", ConfigType.INT, 100, "Records per page.", ConfigValidator.between(1, 100))
            .defineOptional("lookback", ConfigType.DURATION, "5m", "Overlap of incremental reads.")
            .defineOptional("tags", ConfigType.LIST, null, "Tags to add.")
            .defineOptional("status.map", ConfigType.MAP, null, "Status overrides.");

    @Test
    void parsesTypedValuesAndFillsDefaults() {
        ConfigDef.Parsed parsed = def.parse(Map.of("base.url", "https://acme.example.com", "api.key", "s3cr3t-key",
                "tags", "a, b", "status.map", Map.of("Waiting on customer", "pending")));

        assertThat(parsed.problems()).isEmpty();
        ConnectorConfig config = parsed.config();
        assertThat(config.getUrl("base.url")).isEqualTo(URI.create("https://acme.example.com"));
        assertThat(config.getSecret("api.key").reveal()).isEqualTo("s3cr3t-key");
        assertThat(config.getInt("page.size")).isEqualTo(100);
        assertThat(config.getDuration("lookback")).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.getList("tags")).containsExactly("a", "b");
        assertThat(config.getMap("status.map")).containsEntry("Waiting on customer", "pending");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigDef.Parsed parsed = def.parse(Map.of("base.url", "http://vendor.example.com", "page.size", "many",
                "lookbak", "5m"));

        assertThat(parsed.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("lookbak", "base.url", "api.key", "page.size");
        assertThat(parsed.problems()).extracting(ConfigProblem::toString).contains(
                "lookbak: unknown key (did you mean 'lookback'?)",
                "page.size: must be a whole number, was 'many'");
    }

    @Test
    void neverEchoesASecretValueInAProblem() {
        ConfigDef strict = new ConfigDef().define("token", ConfigType.SECRET, "Token.",
                ConfigValidator.matches("[a-f0-9]{32}", "32 hex digits"));

        ConfigDef.Parsed parsed = strict.parse(Map.of("token", "not-hex-but-secret"));

        assertThat(parsed.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .doesNotContain("not-hex-but-secret");
        assertThat(parsed.config().toString()).doesNotContain("not-hex-but-secret");
    }

    @Test
    void secretToStringIsHidden() {
        assertThat(Secret.of("hunter2").toString()).isEqualTo("[hidden]");
        assertThat(String.valueOf(Secret.of("hunter2"))).doesNotContain("hunter2");
    }

    @Test
    void rejectsKeysThatAreNotDottedLowerCaseOrUndocumented() {
        assertThatThrownBy(() -> new ConfigDef().define("BaseUrl", ConfigType.URL, "doc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigDef().define("base.url", ConfigType.URL, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDurationsInBothSpellings() {
        assertThat(ConfigDef.parseDuration("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ConfigDef.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigDef.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void generatesAMarkdownTableOfEveryKey() {
        String table = def.toMarkdownTable();

        assertThat(table.lines().toList()).hasSize(2 + def.keys().size());
        assertThat(table).contains("| `page.size` | int | `100` | no | Records per page. |")
                .contains("| `api.key` | secret |  | yes | The API key. |");
    }

    @Test
    void listsAcceptYamlSequences() {
        ConnectorConfig config = ConnectorConfig.of(def,
                Map.of("base.url", "http://127.0.0.1:8089", "api.key", "k", "tags", List.of("x", 3)));
        assertThat(config.getList("tags")).containsExactly("x", "3");
    }
}
