package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.MessageKind;
import io.edgeagent.simulator.scenario.Malformation;

/**
 * A sample on its way out: when it was measured, how it is broken (null when it is not) and why it is sent. Encoding
 * is a pure function of these, so a duplicate encodes to the same bytes as its original.
 */
record Emission(long sampleNanos, Sample sample, Malformation malformation, MessageKind kind) {

    Emission as(MessageKind newKind) {
        return new Emission(sampleNanos, sample, malformation, newKind);
    }
}
