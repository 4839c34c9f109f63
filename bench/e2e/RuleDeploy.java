import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.rules.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compile + deploy time of every rule file in a directory, in a fresh JVM, through the agent's own RuleEngine (the
 * code path of start-up and hot deploy). Prints one JSON object: total, the first rule (which also loads and warms
 * Esper's compiler and Janino), and the mean of the others.
 *
 * Run: java -Xmx64m -XX:+UseSerialGC -cp "edge-agent/target/edge-agent.jar:edge-agent/target/lib/*" \
 *        bench/e2e/RuleDeploy.java RULES_DIR
 */
public final class RuleDeploy {

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        RuleFileReader reader = RuleFileReader.fromSystem();
        long t0 = System.nanoTime();
        try (RuleEngine engine = new RuleEngine(
                Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0)), false, (rule, firing) -> { })) {
            long engineReady = System.nanoTime();
            long first = 0;
            long previous = engineReady;
            for (Path file : files) {
                RuleDefinition rule = reader.read(file);
                engine.deploy(rule);
                long now = System.nanoTime();
                if (first == 0) {
                    first = now - previous;
                }
                previous = now;
            }
            long total = previous - engineReady;
            double rest = files.size() > 1 ? (total - first) / 1e6 / (files.size() - 1) : 0;
            System.out.printf(Locale.ROOT, "{\"rules\": %d, \"engine_start_ms\": %.0f, \"compile_deploy_total_ms\": %.0f, "
                            + "\"first_rule_ms\": %.0f, \"mean_other_rule_ms\": %.1f, \"heap_used_mb\": %d}%n",
                    files.size(), (engineReady - t0) / 1e6, total / 1e6, first / 1e6, rest,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
        System.exit(0);
    }
}
