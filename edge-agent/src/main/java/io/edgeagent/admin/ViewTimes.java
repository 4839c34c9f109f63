package io.edgeagent.admin;

import java.time.Instant;

/** How the views show times: ISO-8601 instants, null for "never" (0), ages in whole seconds. */
public final class ViewTimes {

    private ViewTimes() {
    }

    public static String iso(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    public static long ageSeconds(long epochMillis) {
        return epochMillis == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - epochMillis) / 1000);
    }
}
