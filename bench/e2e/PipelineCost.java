import io.edgeagent.bootstrap.JvmSettings;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.rules.RuleEngine;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU and allocation per message of the pipeline thread's storage path without MQTT: decode the simulator's JSON
 * readings, append them to a fresh H2 buffer in batches of 1,000 and checkpoint after each batch, as the pipeline
 * does; with RULES_DIR, each event then goes through the agent's RuleEngine with those rules (external clock at the
 * event's time), which makes it the pipeline thread's whole work per message. Measured with the thread's own CPU time and allocated bytes (and the process's CPU and GC time), which a busy
 * shared machine disturbs far less than a rate. Prints one JSON object.
 * As in the agent (rules.statementCpuTime false, the default), the JVM's thread CPU time measurement is off while
 * the pipeline runs: with it on, Esper reads the thread's CPU clock twice per statement and event, which cost 6 us
 * per message here. It is switched on only to read this thread's clock at the start and the end.
 *
 * Run (with the package's JVM options, packaging/default/edge-agent): java <options> -cp "edge-agent/target/edge-agent.jar:edge-agent/target/lib/*" \
 *        bench/e2e/PipelineCost.java [MESSAGES] [BATCH] [RULES_DIR]
 */
public final class PipelineCost {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        RuleEngine engine = args.length > 2 ? rules(Path.of(args[2])) : null;
        MessageDecoder decoder = new MessageDecoder(List.of(
                new InputConfig("readings", "sensors/+/+", "json", "reading", Map.of()),
                new InputConfig("locations", "trackers/+/location", "json", "location", Map.of())));
        Path dir = Files.createTempDirectory("pipeline-cost");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long self = Thread.currentThread().getId();
        JvmSettings.measureThreadCpuTime(false);
        try (H2Buffer buffer = H2Buffer.open(dir, BufferConfig.defaults())) {
            long ts = Instant.parse("2026-12-01T07:39:40.384Z").toEpochMilli();
            int warm = messages / 3;
            long cpu0 = 0, alloc0 = 0, proc0 = 0, gc0 = 0, wall0 = 0;
            for (int done = 0; done < warm + messages; done += batchSize) {
                if (done == warm) {
                    cpu0 = threadCpuTime(threads);
                    alloc0 = threads.getThreadAllocatedBytes(self);
                    proc0 = os.getProcessCpuTime();
                    gc0 = gcMillis();
                    wall0 = System.nanoTime();
                }
                List<Event> events = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    int n = done + i;
                    String device = String.format(Locale.ROOT, "sensor-%05d", n % 100 + 1);
                    byte[] payload = ("{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":"
                            + (2 + n % 300 / 100.0) + ",\"unit\":\"C\",\"ts\":\"" + Instant.ofEpochMilli(ts + n) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    events.addAll(decoder.decode("sensors/" + device + "/temperature", payload, ts + n));
                }
                buffer.append(events, List.<DeadLetter>of());
                buffer.checkpoint();
                if (engine != null) {
                    for (Event event : events) {
                        engine.advanceTime(event.eventTime());
                        engine.send(event);
                    }
                }
            }
            long cpu = threadCpuTime(threads) - cpu0;
            long alloc = threads.getThreadAllocatedBytes(self) - alloc0;
            long proc = os.getProcessCpuTime() - proc0;
            long gc = gcMillis() - gc0;
            long wall = System.nanoTime() - wall0;
            System.out.printf(Locale.ROOT, "{\"messages\": %d, \"batch\": %d, \"thread_cpu_us_per_msg\": %.2f, "
                            + "\"thread_alloc_bytes_per_msg\": %d, \"process_cpu_us_per_msg\": %.2f, \"gc_ms\": %d, "
                            + "\"wall_us_per_msg\": %.2f}%n", messages, batchSize, cpu / 1e3 / messages, alloc / messages,
                    proc / 1e3 / messages, gc, wall / 1e3 / messages);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static RuleEngine rules(Path dir) throws Exception {
        RuleEngine engine = new RuleEngine(Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0)), true,
                (rule, firing) -> { });
        engine.advanceTime(Instant.parse("2026-12-01T07:39:40.384Z").toEpochMilli());
        RuleFileReader reader = RuleFileReader.fromSystem();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                engine.deploy(reader.read(file));
            }
        }
        return engine;
    }

    private static long threadCpuTime(java.lang.management.ThreadMXBean threads) {
        JvmSettings.measureThreadCpuTime(true);
        long nanos = threads.getCurrentThreadCpuTime();
        JvmSettings.measureThreadCpuTime(false);
        return nanos;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }
}
