package io.edgeagent.simulator.internal;

/**
 * The physics of one device. Not thread-safe: one generator calls it with strictly increasing times, and the same
 * seed and call sequence always give the same samples.
 */
interface DeviceModel {

    /** The device's measurement {@code offsetNanos} after the scenario start. */
    Sample sampleAt(long offsetNanos);
}
