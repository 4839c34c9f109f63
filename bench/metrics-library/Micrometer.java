import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Micrometer's Prometheus registry with function counters. */
public class Micrometer {
    public static void main(String[] args) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (int i = 0; i < Workload.PLAIN; i++) {
            int n = i;
            FunctionCounter.builder("edge_c" + i, Workload.COUNTERS[n], c -> c.get()).description("Counter " + i + ".")
                    .register(registry);
        }
        for (int f = 0; f < Workload.PER_RULE; f++) {
            for (int r = 0; r < Workload.RULES; r++) {
                double v = r * f;
                FunctionCounter.builder("edge_rule_f" + f, registry, x -> v).tag("rule", "rule-" + r)
                        .description("Per rule " + f + ".").register(registry);
            }
        }
        for (int h = 0; h < Workload.HISTOGRAMS; h++) {
            Timer timer = Timer.builder("edge_h" + h).description("Histogram " + h + ".")
                    .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10))
                    .register(registry);
            for (int i = 0; i < 100; i++) {
                timer.record(Duration.ofMillis(i));
            }
        }
        Workload.report(registry.scrape());
    }
}
