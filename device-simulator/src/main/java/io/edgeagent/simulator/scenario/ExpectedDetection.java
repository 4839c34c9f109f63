package io.edgeagent.simulator.scenario;

import java.time.Duration;

/**
 * A rule that a correct agent fires (or, in {@link Expectations#absent()}, never fires) for a device.
 *
 * @param rule   the name of the agent's rule, e.g. {@code temperature-high}
 * @param device the {@code deviceId} the detection is about
 * @param within the latest time after the scenario start by which it has fired; null for "at any time during the
 *               scenario" (always null for absent detections)
 */
public record ExpectedDetection(String rule, String device, Duration within) {
}
