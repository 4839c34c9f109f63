package io.edgeagent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI reads the admin API's answers back into these records, so what Jackson writes must read back to the same
 * record, and the choice between the variants of a sealed view must follow the JSON, not a type field we add.
 */
class ViewsJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StatusView status(StatusView.Uplink uplink) {
        return new StatusView("1.0", 5, true, new StatusView.Broker("tcp://b:1883", "edge", "CONNECTED", ""),
                new StatusView.Ingest(3, 2, 1, 3, 0), new StatusView.Pipeline("RUNNING", null, null, 0, 0, 0),
                null, new StatusView.Rules(2, 0, 1, 4), null, new StatusView.Actions(1, 0, 0, 0, 1, 0),
                new StatusView.Buffer(2, 100, 4096, null, 0, 0, 0, 1, new StatusView.Storage("HEALTHY", null, null),
                        0, 0), uplink);
    }

    @Test
    void status_withAndWithoutUplink_readsBackAsTheSameRecord() throws Exception {
        for (StatusView.Uplink uplink : List.of(new StatusView.Disabled(), new StatusView.Enabled(true, "http",
                false, 7, 1.5, 2, 0, 2, "refused", null))) {
            String json = JSON.writeValueAsString(status(uplink));

            assertThat(JSON.readValue(json, StatusView.class)).isEqualTo(status(uplink));
        }
    }

    @Test
    void status_withoutUplink_isJustEnabledFalse() {
        JsonNode uplink = JSON.valueToTree(status(new StatusView.Disabled())).path("uplink");

        assertThat(uplink.toString()).isEqualTo("{\"enabled\":false}");
    }

    @Test
    void rules_deployedAndRejected_readBackByTheirStatus() throws Exception {
        RuleView deployed = RuleView.deployed("hot", false, "rules/hot.yaml",
                new RuleView.Counters(5, 2, 3, 0, 1_700_000_000_000L, null, 0),
                new RuleView.Definition("too hot", "5m", "deviceId", List.of("mqtt"), "select * from Reading"),
                List.of(new RuleView.Statement("hot", 5, 5, 1000, 0)), "time budget");
        RuleView rejected = RuleView.rejected("bad", "rules/bad.yaml", List.of("bad.yaml:3: no such field"));

        List<RuleView> read = JSON.readerForListOf(RuleView.class).readValue(JSON.writeValueAsString(
                List.of(deployed, rejected)));

        assertThat(read).containsExactly(deployed, rejected);
        assertThat(read.get(0).status()).isEqualTo("disabled");
        assertThat(JSON.valueToTree(rejected).toString()).isEqualTo(
                "{\"name\":\"bad\",\"status\":\"rejected\",\"source\":\"rules/bad.yaml\","
                        + "\"problems\":[\"bad.yaml:3: no such field\"]}");
    }
}
