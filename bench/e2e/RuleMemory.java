import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.rules.RuleEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the rules of a directory cost in memory and time at a given rate, through the agent's own RuleEngine on
 * Esper's external clock (no broker, no H2): temperature readings from DEVICES sensors at 2-5 C (no rule fires), RATE
 * readings per second of event time for SECONDS seconds, each a new Reading with its own 36-character id and shared
 * device, type, unit and topic strings (as the decoder's canonical strings make them). Prints one JSON object:
 * the heap the rules retain after 60 s of event time (used heap after a full collection, minus the same before the
 * first reading), and events/s over the whole run and over the time after that measurement; before it, a progress
 * line per 10 s of event time (a run that runs out of heap may end on one of those). Bounded: at most RATE x SECONDS
 * readings.
 *
 * <p>A changing fleet: with REPLACE_AT > 0, from that second on a new set of DEVICES sensors (other ids) sends the
 * readings and the first set falls silent; the object then also gives the heap retained at the end of the run, when
 * the first set has been silent for SECONDS - REPLACE_AT seconds. A rule that forgets silent devices retains about
 * as much at the end as after 60 s; one that does not retains both sets.
 *
 * Run: java -Xmx64m -XX:+UseSerialGC -cp "edge-agent/target/edge-agent.jar:edge-agent/target/lib/*" \
 *        bench/e2e/RuleMemory.java RULES_DIR [RATE=20000] [SECONDS=90] [DEVICES=100] [REPLACE_AT=0]
 */
public final class RuleMemory {

    private static final long START = 1_795_310_000_000L;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 90;
        int devices = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int replaceAt = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        String[] ids = new String[devices];
        String[] replacements = new String[devices];
        for (int d = 0; d < devices; d++) {
            ids[d] = String.format("sensor-%05d", d + 1);
            replacements[d] = String.format("sensor-%05d", devices + d + 1);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        RuleFileReader reader = RuleFileReader.fromSystem();
        long retained = -1;
        long retainedAtEnd = -1;
        long sent = 0;
        long sentAfter = 0;
        long nanos = 0;
        long nanosAfter = 0;
        boolean outOfMemory = false;
        try (RuleEngine engine = new RuleEngine(
                Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0)), true, (rule, firing) -> { })) {
            engine.advanceTime(START);
            for (Path file : files) {
                engine.deploy(reader.read(file));
            }
            long baseline = usedAfterGc(memory);
            try {
                for (int s = 0; s < seconds; s++) {
                    long t0 = System.nanoTime();
                    String[] fleet = replaceAt > 0 && s >= replaceAt ? replacements : ids;
                    for (int k = 0; k < rate; k++) {
                        long time = START + s * 1000L + k * 1000L / rate;
                        engine.advanceTime(time);
                        String device = fleet[k % devices];
                        engine.send(new Reading(UUID.randomUUID().toString(), device, "temperature",
                                2 + (k / devices % 30) / 10.0, "C", time, time, "sensors/temperature"));
                    }
                    long spent = System.nanoTime() - t0;
                    nanos += spent;
                    sent += rate;
                    if (s >= 60) {
                        nanosAfter += spent;
                        sentAfter += rate;
                    }
                    if (s % 10 == 9) {
                        // Progress, so a run that dies of an OutOfMemoryError still says how far it got.
                        System.out.printf(Locale.ROOT, "# %d s of event time, %d readings, %.0f events/s%n", s + 1, sent,
                                sent / (nanos / 1e9));
                    }
                    if (s == 59) {
                        engine.advanceTime(START + 60_000);
                        retained = usedAfterGc(memory) - baseline;
                    }
                }
                if (replaceAt > 0) {
                    engine.advanceTime(START + seconds * 1000L);
                    retainedAtEnd = usedAfterGc(memory) - baseline;
                }
            } catch (OutOfMemoryError e) {
                // Nothing that allocates here: the heap is full until the engine is gone.
                outOfMemory = true;
            }
        } catch (OutOfMemoryError e) {
            // Closing a full engine can run out of memory too; once out of this block it is garbage.
            outOfMemory = true;
        }
        // After close: the rules' state is gone, so this line can be printed even after an OutOfMemoryError.
        System.out.println(String.format(Locale.ROOT,
                "{\"rules\": %d, \"rate\": %d, \"seconds\": %d, \"devices\": %d, \"max_heap_mb\": %.0f, "
                        + "\"retained_after_60s_mb\": %s, \"replace_at\": %d, \"retained_at_end_mb\": %s, "
                        + "\"events_per_s\": %.0f, \"events_per_s_after_60s\": %s, \"failure\": %s}",
                files.size(), rate, seconds, devices, Runtime.getRuntime().maxMemory() / 1e6,
                retained < 0 ? "null" : String.format(Locale.ROOT, "%.1f", retained / 1e6), replaceAt,
                retainedAtEnd < 0 ? "null" : String.format(Locale.ROOT, "%.1f", retainedAtEnd / 1e6),
                sent / (nanos / 1e9),
                sentAfter == 0 ? "null" : String.format(Locale.ROOT, "%.0f", sentAfter / (nanosAfter / 1e9)),
                outOfMemory ? "\"OutOfMemoryError after " + sent + " readings\"" : "null"));
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
