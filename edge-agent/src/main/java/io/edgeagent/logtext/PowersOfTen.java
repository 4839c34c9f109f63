package io.edgeagent.logtext;

/**
 * For log lines about something that can repeat at event rates (a refused action, a failing rule): logging the 1st,
 * 10th, 100th, ... occurrence with the running count keeps the trail visible without flooding the journal.
 */
public final class PowersOfTen {

    private PowersOfTen() {
    }

    public static boolean isPowerOfTen(long n) {
        long p = 1;
        while (p < n && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        return p == n;
    }
}
