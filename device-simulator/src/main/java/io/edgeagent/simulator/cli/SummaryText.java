package io.edgeagent.simulator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.simulator.SimulationSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Renders a run's summary for people or, with {@code --json}, for scripts and benchmarks. */
final class SummaryText {

    private SummaryText() {
    }

    static String text(SimulationSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "scenario %s, %d devices, format %s, seed %d%s%n", s.scenario(),
                s.devices(), s.format().cliName(), s.seed(), s.maxRate() ? ", max rate" : ""));
        b.append(String.format(Locale.ROOT, "sent %,d of %,d messages in %.1f s: %,.1f msg/s, %,d errors%s%n",
                s.messagesSent(), s.messagesPublished(), s.elapsed().toMillis() / 1000.0, s.achievedRate(),
                s.errors(), s.stoppedEarly() ? " (stopped early)" : ""));
        if (s.malformed() + s.duplicates() + s.outOfOrder() > 0) {
            b.append(String.format(Locale.ROOT, "injected faults: %d malformed, %d duplicates, %d out of order%n",
                    s.malformed(), s.duplicates(), s.outOfOrder()));
        }
        if (s.lastError() != null) {
            b.append("last error: ").append(s.lastError()).append(System.lineSeparator());
        }
        return b.toString().stripTrailing();
    }

    static String json(SimulationSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", s.scenario());
        m.put("seed", s.seed());
        m.put("devices", s.devices());
        m.put("format", s.format().cliName());
        m.put("maxRate", s.maxRate());
        m.put("messagesPublished", s.messagesPublished());
        m.put("messagesSent", s.messagesSent());
        m.put("errors", s.errors());
        m.put("malformed", s.malformed());
        m.put("duplicates", s.duplicates());
        m.put("outOfOrder", s.outOfOrder());
        m.put("elapsedMs", s.elapsed().toMillis());
        m.put("achievedRate", s.achievedRate());
        m.put("stoppedEarly", s.stoppedEarly());
        m.put("lastError", s.lastError());
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }
}
