package io.edgeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example Grafana dashboard and scrape configuration stay in step with the metrics operations.md documents. */
class MonitoringFilesTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("edge.repository", ".."));
    private static final Pattern METRIC = Pattern.compile("\\b((?:edge|jvm|process)_[a-z_]+)\\b");

    @Test
    void dashboard_everyQuery_usesOnlyMetricsDocumentedInOperations() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(REPOSITORY.resolve("packaging/monitoring/grafana-dashboard.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("edge-agent");
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).contains("edge_messages_received_total", "edge_buffer_oldest_age_seconds", "jvm_memory_used_bytes");
        String operations = Files.readString(REPOSITORY.resolve("docs/operations.md"));
        assertThat(used).allSatisfy(metric -> assertThat(operations).as(metric).contains("`" + metric));
    }

    @Test
    void prometheusConfig_target_isTheDefaultAdminAddress() throws IOException {
        String config = Files.readString(REPOSITORY.resolve("config.yaml"));
        assertThat(config).containsPattern("(?m)^  bind: 127\\.0\\.0\\.1\\b").containsPattern("(?m)^  port: 8484\\b");
        assertThat(Files.readString(REPOSITORY.resolve("packaging/monitoring/prometheus.yml")))
                .contains("targets: [\"127.0.0.1:8484\"]").contains("metrics_path: /metrics");
    }
}
