package io.edgeagent.demo;

import io.edgeagent.actions.ActionListener;
import io.edgeagent.actions.ActionResult;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.rules.FiringSink;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The demo's live view: one line per rule firing and per action as they happen, and a short status line now and then.
 * Thread-safe: firings arrive on the pipeline thread, actions on action threads, status from the demo's own thread.
 */
final class DemoConsole implements FiringSink, ActionListener {

    private static final long EPOCH_MS_2000 = 946_684_800_000L;
    private static final long EPOCH_MS_2100 = 4_102_444_800_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter out;
    /** From when the simulator starts: the scenario's deadlines count from there, not from the agent's start-up. */
    private volatile long startNanos = System.nanoTime();
    private final Map<String, AtomicLong> firingsByRule = new ConcurrentSkipListMap<>();
    private final Map<String, Long> firstFiring = new ConcurrentHashMap<>();
    private final AtomicLong actionsOk = new AtomicLong();
    private final AtomicLong actionsFailed = new AtomicLong();

    DemoConsole(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void fired(RuleDefinition rule, RuleFiring firing) {
        firingsByRule.computeIfAbsent(firing.rule(), r -> new AtomicLong()).incrementAndGet();
        firstFiring.putIfAbsent(firing.rule() + "/" + firing.key(), elapsedMs());
        String fields = firing.fields().entrySet().stream()
                .filter(e -> !e.getKey().equals("deviceId") && e.getValue() != null)
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" "));
        line(String.format("FIRED  %-26s %-18s %s", firing.rule(), firing.key(), fields));
    }

    @Override
    public void finished(ActionResult result) {
        if (result.succeeded()) {
            actionsOk.incrementAndGet();
            line(String.format("  ->   %-4s %s", result.type(), result.detail()));
        } else {
            actionsFailed.incrementAndGet();
            line(String.format("  !!   %-4s failed: %s", result.type(), result.error()));
        }
    }

    void status(long events, double eventsPerSecond, long deadLetters) {
        line(String.format("status  %.0f events/s, %d events stored, %d firings, %d actions, %d dead letters",
                eventsPerSecond, events, fired(), actionsOk.get() + actionsFailed.get(), deadLetters));
    }

    synchronized void line(String text) {
        out.printf("[%5.1fs] %s%n", elapsedMs() / 1000.0, text);
        out.flush();
    }

    long fired() {
        return firingsByRule.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, AtomicLong> firingsByRule() {
        return firingsByRule;
    }

    void simulatorStarted() {
        startNanos = System.nanoTime();
    }

    /** Milliseconds from the simulator's start to the first firing of {@code rule} for {@code key}, or null. */
    Long firstFiring(String rule, String key) {
        return firstFiring.get(rule + "/" + key);
    }

    long actionsOk() {
        return actionsOk.get();
    }

    long actionsFailed() {
        return actionsFailed.get();
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            return String.format("%.2f", d);
        }
        if (value instanceof Long ms && ms > EPOCH_MS_2000 && ms < EPOCH_MS_2100) {
            return TIME.format(Instant.ofEpochMilli(ms));
        }
        return String.valueOf(value);
    }
}
