import io.edgeagent.metrics.Histogram;
import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.metrics.PrometheusText;
import java.util.List;
import java.util.stream.IntStream;

/** The agent's own registry and writer (io.edgeagent.metrics). */
public class Own {
    public static void main(String[] args) throws Exception {
        MetricRegistry m = new MetricRegistry();
        for (int i = 0; i < Workload.PLAIN; i++) {
            int n = i;
            m.counter("edge_c" + i + "_total", "Counter " + i + ".", () -> Workload.COUNTERS[n].get());
        }
        MetricRegistry.PerItem<Integer> rules = m.perItem("rule", () -> IntStream.range(0, Workload.RULES).boxed().toList(),
                r -> "rule-" + r);
        for (int f = 0; f < Workload.PER_RULE; f++) {
            int k = f;
            rules.counter("edge_rule_f" + f + "_total", "Per rule " + f + ".", r -> r * k);
        }
        for (int h = 0; h < Workload.HISTOGRAMS; h++) {
            Histogram histogram = new Histogram();
            for (int i = 0; i < 100; i++) {
                histogram.observe(i / 1000.0);
            }
            m.histogram("edge_h" + h + "_seconds", "Histogram " + h + ".", () -> histogram);
        }
        Workload.report(PrometheusText.render(m));
    }
}
