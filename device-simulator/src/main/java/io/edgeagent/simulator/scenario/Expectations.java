package io.edgeagent.simulator.scenario;

import java.util.List;

/**
 * What a correct agent observes when it processes a scenario at its default settings (its own duration, no extra
 * devices). Machine-readable so that agent tests can use a scenario as a fixture.
 *
 * @param detections  rules that fire, each for a device and by a deadline
 * @param absent      rules that must not fire for a device during the whole scenario
 * @param malformed   messages whose payload does not decode (a correct agent dead-letters exactly these)
 * @param duplicates  messages published twice with identical bytes (the second copy has the same event ids)
 * @param outOfOrder  messages published after their successor, so their event time is older than the one before
 */
public record Expectations(List<ExpectedDetection> detections, List<ExpectedDetection> absent, Integer malformed,
                           Integer duplicates, Integer outOfOrder) {

    public Expectations {
        detections = detections == null ? List.of() : List.copyOf(detections);
        absent = absent == null ? List.of() : List.copyOf(absent);
        malformed = malformed == null ? 0 : malformed;
        duplicates = duplicates == null ? 0 : duplicates;
        outOfOrder = outOfOrder == null ? 0 : outOfOrder;
    }

    /** No expectations at all: what a scenario file without an {@code expect} section gets. */
    public static Expectations none() {
        return new Expectations(null, null, null, null, null);
    }
}
