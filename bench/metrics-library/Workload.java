import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** What the agent exposes, in shape: 45 plain families, 7 families over 9 rules, 3 histograms. */
final class Workload {
    static final int PLAIN = 45;
    static final int RULES = 9;
    static final int PER_RULE = 7;
    static final int HISTOGRAMS = 3;
    static final AtomicLong[] COUNTERS = new AtomicLong[PLAIN];

    static {
        for (int i = 0; i < PLAIN; i++) {
            COUNTERS[i] = new AtomicLong(i * 1000L);
        }
    }

    /** Prints what the bench script reads: millis since epoch after the first scrape, RSS, exposition size. */
    static void report(String text) throws Exception {
        long now = System.currentTimeMillis();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .findFirst().orElseThrow().replaceAll("[^0-9]", "");
        System.out.println(now + " " + rss + " " + text.length());
    }
}
