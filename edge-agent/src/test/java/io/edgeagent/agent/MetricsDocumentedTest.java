package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics docs and the monitoring examples cannot drift from the code: every family the agent registers is in
 * docs/admin-api.md, and every metric the docs, the Grafana dashboard and the Prometheus alerts name is registered.
 * The registry is read without starting the agent: registration only records callbacks.
 */
class MetricsDocumentedTest {

    /** Our metric names; {@code up} and Grafana's variables do not start like this. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:edge|jvm|process)_[a-z0-9_]+)");

    @TempDir
    Path data;

    private Set<String> registered() throws Exception {
        MetricRegistry registry = AgentMetrics.register(new Agent(TestConfigs.repositoryConfig("tcp://127.0.0.1:1", data)));
        return registry.families().stream().map(MetricRegistry.Family::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> named(String file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(TestConfigs.repositoryRoot().resolve(file)));
        while (m.find()) {
            if (m.group(1).endsWith("_")) {
                continue; // a wildcard such as edge_uplink_*
            }
            names.add(m.group(1).replaceFirst("_(bucket|sum|count)$", ""));
        }
        return names;
    }

    @Test
    void adminApiDoc_listsEveryRegisteredMetric_andNoOther() throws Exception {
        Set<String> documented = named("docs/admin-api.md");

        assertThat(documented).as("metrics the code registers that docs/admin-api.md lacks").containsAll(registered());
        assertThat(registered()).as("metrics docs/admin-api.md names that the code does not register")
                .containsAll(documented);
    }

    @Test
    void operationsDocDashboardAndAlerts_nameOnlyRegisteredMetrics() throws Exception {
        Set<String> registered = registered();

        for (String file : new String[] {"docs/operations.md", "packaging/monitoring/grafana-dashboard.json",
                "packaging/monitoring/prometheus.yml"}) {
            assertThat(registered).as("metrics " + file + " names").containsAll(named(file));
        }
    }

    /** Without an uplink its families do not exist: an empty panel would look like a broken dashboard. */
    @Test
    void dashboard_panelsOnUplinkMetrics_sayNoUplinkWhenThereIsNone() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(TestConfigs.repositoryRoot()
                .resolve("packaging/monitoring/grafana-dashboard.json").toFile());
        List<JsonNode> uplinkPanels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("targets").toString().contains("edge_uplink_")) {
                uplinkPanels.add(panel);
            }
        }

        assertThat(uplinkPanels).isNotEmpty().allSatisfy(panel -> assertThat(
                panel.path("fieldConfig").path("defaults").path("noValue").asText()).as(panel.path("title").asText())
                .isEqualTo("no uplink"));
    }
}
