package io.edgeagent.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link MetricRegistry} in the Prometheus text exposition format 0.0.4: each family's HELP, TYPE and
 * samples as one group (the format requires it, and the reference parser rejects a family that comes back), families
 * in registration order. A family without samples now (no rules yet) is left out.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** Collects the sample lines of one family. */
    static final class Samples {
        private final StringBuilder lines = new StringBuilder();
        private final MetricRegistry.Family family;

        Samples(MetricRegistry.Family family) {
            this.family = family;
        }

        void sample(String suffix, List<String> labelValues, double value) {
            lines.append(family.name()).append(suffix);
            if (!labelValues.isEmpty()) {
                lines.append('{');
                for (int i = 0; i < labelValues.size(); i++) {
                    if (i > 0) {
                        lines.append(',');
                    }
                    lines.append(family.labels().get(i)).append("=\"").append(escapeLabel(labelValues.get(i))).append('"');
                }
                lines.append('}');
            }
            lines.append(' ').append(format(value)).append('\n');
        }

        void histogram(Histogram.Snapshot h) {
            double[] bounds = h.upperBounds();
            long[] counts = h.cumulativeCounts();
            for (int i = 0; i < bounds.length; i++) {
                bucket(format(bounds[i]), counts[i]);
            }
            bucket("+Inf", h.count());
            sample("_sum", List.of(), h.sum());
            sample("_count", List.of(), h.count());
        }

        private void bucket(String le, long count) {
            lines.append(family.name()).append("_bucket{le=\"").append(le).append("\"} ").append(count).append('\n');
        }
    }

    public static String render(MetricRegistry registry) {
        StringBuilder out = new StringBuilder(8192);
        MetricRegistry.Scrape scrape = new MetricRegistry.Scrape();
        for (MetricRegistry.Registration r : registry.present()) {
            Samples samples = new Samples(r.family);
            r.collector.collect(scrape, samples);
            if (samples.lines.isEmpty()) {
                continue;
            }
            out.append("# HELP ").append(r.family.name()).append(' ').append(escapeHelp(r.family.help())).append('\n');
            out.append("# TYPE ").append(r.family.name()).append(' ').append(r.family.type().exposition()).append('\n');
            out.append(samples.lines);
        }
        return out.toString();
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
