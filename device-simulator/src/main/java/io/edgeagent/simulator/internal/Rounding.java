package io.edgeagent.simulator.internal;

/** Devices report a fixed number of decimals, like real firmware; it also keeps payloads short and readable. */
final class Rounding {

    private Rounding() {
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
