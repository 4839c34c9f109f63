package io.edgeagent.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JVM's and the process's own figures, under the names Prometheus's Java client gives them. */
public final class JvmMetrics {

    private JvmMetrics() {
    }

    public static void register(MetricRegistry m) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        m.gauges("jvm_memory_used_bytes", "JVM memory in use.", "area", () -> {
            Map<String, Long> byArea = new LinkedHashMap<>();
            byArea.put("heap", memory.getHeapMemoryUsage().getUsed());
            byArea.put("nonheap", memory.getNonHeapMemoryUsage().getUsed());
            return byArea;
        });
        m.gauges("jvm_memory_max_bytes", "JVM memory limit (-1: none).", "area",
                () -> Map.of("heap", memory.getHeapMemoryUsage().getMax()));
        m.gauge("jvm_threads_live", "Live JVM threads.", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        m.gauge("process_start_time_seconds", "Start time of the process, epoch seconds.",
                () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    }
}
