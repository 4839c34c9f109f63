import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;

/** The Prometheus Java client 1.x with callback metrics and its text format writer. */
public class Client {
    public static void main(String[] args) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        for (int i = 0; i < Workload.PLAIN; i++) {
            int n = i;
            CounterWithCallback.builder().name("edge_c" + i + "_total").help("Counter " + i + ".")
                    .callback(cb -> cb.call(Workload.COUNTERS[n].get())).register(registry);
        }
        for (int f = 0; f < Workload.PER_RULE; f++) {
            int k = f;
            CounterWithCallback.builder().name("edge_rule_f" + f + "_total").help("Per rule " + f + ".").labelNames("rule")
                    .callback(cb -> {
                        for (int r = 0; r < Workload.RULES; r++) {
                            cb.call(r * k, "rule-" + r);
                        }
                    }).register(registry);
        }
        for (int h = 0; h < Workload.HISTOGRAMS; h++) {
            Histogram histogram = Histogram.builder().name("edge_h" + h + "_seconds").help("Histogram " + h + ".")
                    .classicOnly().classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                    .register(registry);
            for (int i = 0; i < 100; i++) {
                histogram.observe(i / 1000.0);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        Workload.report(out.toString());
    }
}
