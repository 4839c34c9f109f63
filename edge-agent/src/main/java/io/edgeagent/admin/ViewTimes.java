package io.edgeagent.admin;

import io.edgeagent.metrics.Ages;
import java.time.Instant;

/** How the views show times: ISO-8601 instants, null for "never" (0), ages in whole seconds. */
public final class ViewTimes {

    private ViewTimes() {
    }

    public static String iso(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    public static long ageSeconds(long epochMillis) {
        return Ages.secondsSince(epochMillis);
    }
}
