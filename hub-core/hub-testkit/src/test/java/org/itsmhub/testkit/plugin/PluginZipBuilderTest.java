package org.itsmhub.testkit.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginZipBuilderTest {

    private static final String FACTORY = """
            package test.zip;

            import org.itsmhub.api.config.ConfigDef;
            import org.itsmhub.api.connector.Connector;
            import org.itsmhub.api.connector.ConnectorContext;
            import org.itsmhub.api.connector.ConnectorFactory;
            import org.pf4j.Extension;

            @Extension
            public class ZipFactory implements ConnectorFactory {
                public String id() { return "zip"; }
                public String version() { return "1.0.0"; }
                public String description() { return "zip test"; }
                public ConfigDef configDef() { return new ConfigDef(); }
                public Class<? extends Connector> connectorType() { return Connector.class; }
                public Connector create(ConnectorContext context) { throw new UnsupportedOperationException(); }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void theZipHoldsPluginPropertiesClassesWithAnExtensionIndexAndLibJars() throws IOException {
        Path lib = PluginZipBuilder.compileJar(dir.resolve("work/helper.jar"), Map.of("test.lib.Helper",
                "package test.lib; public class Helper { public static String hi() { return \"hi\"; } }"));

        Path zip = PluginZipBuilder.plugin("zip")
                .version("2.3.4")
                .pluginClass("test.zip.ZipPlugin")
                .requires(">=0.1.0")
                .source("test.zip.ZipPlugin", "package test.zip; public class ZipPlugin extends org.pf4j.Plugin {"
                        + " String hi() { return test.lib.Helper.hi(); } }")
                .source("test.zip.ZipFactory", FACTORY)
                .libJar(lib)
                .buildInto(dir.resolve("plugins"));

        assertThat(zip).isEqualTo(dir.resolve("plugins/zip-2.3.4.zip"));
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertThat(names(file)).containsExactlyInAnyOrder(
                    "plugin.properties",
                    "classes/META-INF/extensions.idx",
                    "classes/test/zip/ZipPlugin.class",
                    "classes/test/zip/ZipFactory.class",
                    "lib/helper.jar");
            assertThat(text(file, "classes/META-INF/extensions.idx")).contains("test.zip.ZipFactory");
            Properties props = new Properties();
            try (InputStream in = file.getInputStream(file.getEntry("plugin.properties"))) {
                props.load(in);
            }
            assertThat(props).containsEntry("plugin.id", "zip")
                    .containsEntry("plugin.version", "2.3.4")
                    .containsEntry("plugin.class", "test.zip.ZipPlugin")
                    .containsEntry("plugin.requires", ">=0.1.0")
                    .containsKeys("plugin.provider", "plugin.description");
        }
    }

    @Test
    void theCompiledClassesAreNotOnTheTestClassPath() {
        PluginZipBuilder.plugin("zip").source("test.zip.ZipFactory", FACTORY).buildInto(dir);

        assertThatThrownBy(() -> Class.forName("test.zip.ZipFactory"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aPropertySetToNullIsLeftOutOfThePluginProperties() throws IOException {
        Path zip = PluginZipBuilder.plugin("nameless").property("plugin.id", null).buildInto(dir);

        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertThat(zip.getFileName()).hasToString("nameless-1.0.0.zip");
            assertThat(text(file, "plugin.properties")).doesNotContain("plugin.id");
        }
    }

    @Test
    void sourcesThatDoNotCompileFailWithTheCompilersMessage() {
        PluginZipBuilder builder = PluginZipBuilder.plugin("broken")
                .source("test.broken.Broken", "package test.broken; public class Broken { int x = \"no\"; }");

        assertThatThrownBy(() -> builder.buildInto(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin broken does not compile")
                .hasMessageContaining("Broken.java:1");
    }

    private static List<String> names(ZipFile file) {
        List<String> names = new ArrayList<>();
        for (ZipEntry entry : Collections.list(file.entries())) {
            names.add(entry.getName());
        }
        return names;
    }

    private static String text(ZipFile file, String name) throws IOException {
        try (InputStream in = file.getInputStream(file.getEntry(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
