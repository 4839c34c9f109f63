package io.edgeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageAssetsTest {

    private static final Path ROOT_CONFIG = Path.of(System.getProperty("edge.repository", ".."), "config.yaml");

    @Test
    void packagedConfig_repositoryConfig_changesOnlyTheTwoDirectories() throws IOException {
        String source = Files.readString(ROOT_CONFIG);
        String packaged = PackageAssets.packagedConfig(source);

        assertThat(packaged).startsWith(PackageAssets.HEADER);
        List<String> before = source.lines().toList();
        List<String> after = packaged.substring(PackageAssets.HEADER.length()).lines().toList();
        assertThat(after).hasSameSizeAs(before);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(after.get(i));
            }
        }
        assertThat(changed).hasSize(2);
        assertThat(changed.get(0)).startsWith("  directory: /etc/edge-agent/rules ").contains("# rule files");
        assertThat(changed.get(1)).startsWith("  directory: /var/lib/edge-agent ").contains("# buffer database");
    }

    @Test
    void packagedConfig_sectionWithoutDirectory_failsNamingTheSection() {
        String yaml = "rules:\n  directory: rules\ndata:\n  maxBytes: 1MB\n";
        assertThatThrownBy(() -> PackageAssets.packagedConfig(yaml)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'data:'");
    }

    @Test
    void packagedConfig_directoryKeysOfOtherSections_leftAlone() {
        String yaml = "rules:\n  directory: rules\ndata:\n  directory: data\nother:\n  directory: data\n";
        assertThat(PackageAssets.packagedConfig(yaml)).endsWith("rules:\n  directory: /etc/edge-agent/rules\n"
                + "data:\n  directory: /var/lib/edge-agent\nother:\n  directory: data\n");
    }
}
