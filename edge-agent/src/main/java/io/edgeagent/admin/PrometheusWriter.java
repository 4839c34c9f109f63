package io.edgeagent.admin;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Prometheus text exposition format 0.0.4, written by hand: a dozen metrics do not need a metrics library. */
public final class PrometheusWriter {

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> described = new HashSet<>();

    /** A counter (name should end in {@code _total}) or gauge without labels. */
    public PrometheusWriter sample(String name, String type, String help, double value) {
        return sample(name, type, help, "", value);
    }

    /** @param labels rendered label set such as {@code rule="temperature-high"}, or empty */
    public PrometheusWriter sample(String name, String type, String help, String labels, double value) {
        if (described.add(name)) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    public static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
