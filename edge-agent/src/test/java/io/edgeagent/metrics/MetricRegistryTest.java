package io.edgeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    record Rule(String name, long matched, long fired) {
    }

    @Test
    void render_perItemFamilies_eachFamilyIsOneGroup_andItemsAreReadOncePerScrape() {
        MetricRegistry registry = new MetricRegistry();
        AtomicInteger reads = new AtomicInteger();
        registry.perItem("rule", () -> {
                    reads.incrementAndGet();
                    return List.of(new Rule("a", 1, 0), new Rule("b\"q", 5, 2));
                }, Rule::name)
                .counter("edge_rule_matches_total", "Matches.", Rule::matched)
                .counter("edge_rule_firings_total", "Firings.", Rule::fired);

        String text = PrometheusText.render(registry);

        assertThat(text).isEqualTo("""
                # HELP edge_rule_matches_total Matches.
                # TYPE edge_rule_matches_total counter
                edge_rule_matches_total{rule="a"} 1
                edge_rule_matches_total{rule="b\\"q"} 5
                # HELP edge_rule_firings_total Firings.
                # TYPE edge_rule_firings_total counter
                edge_rule_firings_total{rule="a"} 0
                edge_rule_firings_total{rule="b\\"q"} 2
                """);
        assertThat(reads).hasValue(1);
    }

    @Test
    void render_histogram_cumulativeBucketsSumAndCount() {
        MetricRegistry registry = new MetricRegistry();
        Histogram h = new Histogram(new double[] {0.01, 0.1});
        h.observe(0.0078125);
        h.observe(0.0625);
        h.observe(0.0625);
        h.observe(3);
        registry.histogram("edge_upload_seconds", "Upload time.", () -> h);

        assertThat(PrometheusText.render(registry)).isEqualTo("""
                # HELP edge_upload_seconds Upload time.
                # TYPE edge_upload_seconds histogram
                edge_upload_seconds_bucket{le="0.01"} 1
                edge_upload_seconds_bucket{le="0.1"} 3
                edge_upload_seconds_bucket{le="+Inf"} 4
                edge_upload_seconds_sum 3.1328125
                edge_upload_seconds_count 4
                """);
    }

    @Test
    void render_familyOnlyWhenAbsent_isLeftOut_butStillListed() {
        MetricRegistry registry = new MetricRegistry();
        AtomicBoolean uplink = new AtomicBoolean();
        registry.gauge("edge_uplink_connected", "Up.", () -> 1).onlyWhen(uplink::get);
        registry.histogram("edge_uplink_upload_seconds", "Upload time.", () -> null);
        registry.gauges("jvm_memory_used_bytes", "Memory.", "area", () -> Map.of("heap", 7));

        assertThat(PrometheusText.render(registry)).doesNotContain("edge_uplink").contains("jvm_memory_used_bytes{area=\"heap\"} 7");
        uplink.set(true);
        assertThat(PrometheusText.render(registry)).contains("edge_uplink_connected 1");
        assertThat(registry.families()).extracting(MetricRegistry.Family::name, MetricRegistry.Family::unit)
                .containsExactly(Tuple.tuple("edge_uplink_connected", ""),
                        Tuple.tuple("edge_uplink_upload_seconds", "seconds"),
                        Tuple.tuple("jvm_memory_used_bytes", "bytes"));
    }

    @Test
    void register_mistakes_failAtRegistrationWithTheName() {
        MetricRegistry registry = new MetricRegistry();
        registry.counter("edge_x_total", "X.", () -> 1);
        List<Runnable> mistakes = new ArrayList<>(List.of(
                () -> registry.counter("edge_x_total", "Again.", () -> 1),
                () -> registry.counter("edge_y", "A counter without _total.", () -> 1),
                () -> registry.gauge("edge_z_total", "A gauge with _total.", () -> 1),
                () -> registry.gauge("edge-dash", "Bad name.", () -> 1),
                () -> registry.gauge("edge_blank", " ", () -> 1),
                () -> registry.histogram("edge_latency_ms", "Not seconds.", Histogram::new),
                () -> registry.gauges("edge_le", "Reserved label.", "le", Map::of)));

        for (Runnable mistake : mistakes) {
            assertThatThrownBy(mistake::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edge");
        }
        assertThat(registry.families()).hasSize(1);
    }

    @Test
    void format_integersWithoutFraction_othersAsJava() {
        assertThat(PrometheusText.format(3.0)).isEqualTo("3");
        assertThat(PrometheusText.format(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
    }
}
