package org.itsmhub.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HubVersionTest {

    @Test
    void theHubVersionIsTheMavenProjectVersionWithoutItsQualifier() throws IOException {
        Path pom = Path.of(System.getProperty("basedir", "."), "pom.xml");
        Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL)
                .matcher(Files.readString(pom));
        assertThat(parent.find()).as("parent version in " + pom).isTrue();

        assertThat(HubVersion.VERSION)
                .as("HubVersion.VERSION must follow the project version; update it when releasing")
                .isEqualTo(HubVersion.release(parent.group(1)));
    }

    @Test
    void theReleaseOfAVersionDropsPreReleaseAndBuildQualifiers() {
        assertThat(HubVersion.release("0.2.0-SNAPSHOT")).isEqualTo("0.2.0");
        assertThat(HubVersion.release("1.4.2+build.7")).isEqualTo("1.4.2");
        assertThat(HubVersion.release(" 3.0.1 ")).isEqualTo("3.0.1");
    }

    @Test
    void aVersionThatIsNotMajorMinorPatchIsRejected() {
        assertThatThrownBy(() -> HubVersion.release("1.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.2.3");
    }
}
