package io.edgeagent.rules;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one firing per key through per cooldown period. Times are the engine's (event time under an external clock),
 * so rule tests replaying recorded events see the same suppression as the live agent. A key whose last firing is a
 * whole period old suppresses nothing any more, so such keys are dropped once per period: with devices that come and
 * go the map holds the keys of one or two periods, not every device ever seen.
 */
final class Cooldown {

    private final long periodMs;
    private final ConcurrentHashMap<String, Long> lastByKey = new ConcurrentHashMap<>();
    /**
     * Engine time of the next sweep for expired keys. Timer-driven matches arrive on Esper's timer thread, the others
     * on the pipeline's, so two sweeps may overlap: harmless, as the map removes a key only if its time is unchanged.
     */
    private volatile long nextSweep = Long.MIN_VALUE;

    Cooldown(Duration period) {
        this.periodMs = period.toMillis();
    }

    /** @return true when a firing for {@code key} at {@code now} may go ahead, and records it */
    boolean tryAcquire(String key, long now) {
        if (periodMs <= 0) {
            return true;
        }
        if (now >= nextSweep) {
            lastByKey.values().removeIf(last -> now - last >= periodMs);
            nextSweep = now + periodMs;
        }
        boolean[] allowed = {false};
        lastByKey.compute(key, (k, last) -> {
            if (last == null || now - last >= periodMs) {
                allowed[0] = true;
                return now;
            }
            return last;
        });
        return allowed[0];
    }

    /** Keys that would still suppress a firing (or did until the next sweep); for tests of the sweep. */
    int keys() {
        return lastByKey.size();
    }
}
