package io.edgeagent.rules;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one firing per key through per cooldown period. Times are the engine's (event time under an external clock),
 * so rule tests replaying recorded events see the same suppression as the live agent.
 */
final class Cooldown {

    private final long periodMs;
    private final ConcurrentHashMap<String, Long> lastByKey = new ConcurrentHashMap<>();

    Cooldown(Duration period) {
        this.periodMs = period.toMillis();
    }

    /** @return true when a firing for {@code key} at {@code now} may go ahead, and records it */
    boolean tryAcquire(String key, long now) {
        if (periodMs <= 0) {
            return true;
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
}
