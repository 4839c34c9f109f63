package io.edgeagent.decode;

/**
 * One shared instance per distinct short string (device ids, types, units, topics), so that events retained by the
 * rules' windows do not each carry private copies of the same few hundred strings: at 20,000 events/s a 60 s window
 * holds 1.2 million events, and these four strings were more than half of each one's retained size.
 *
 * <p>A fixed-size, lossy table (like a CPU cache): a slot holds the last string that hashed to it, so memory is
 * bounded whatever the number of devices, and a collision only costs the copy it would have cost anyway. Thread-safe
 * without locks: slots hold immutable strings, and a lost race means one string is not shared, never a wrong value.
 */
final class Canonical {

    private static final int SLOTS = 8192;
    /** Longer strings are rare (free-form units, deep topics) and not worth a slot. */
    private static final int MAX_LENGTH = 128;
    private static final String[] TABLE = new String[SLOTS];

    private Canonical() {
    }

    /** The shared instance equal to {@code s} if one is cached, otherwise {@code s}, which is then cached. */
    static String of(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return s;
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String cached = TABLE[slot];
        if (cached != null && cached.equals(s)) {
            return cached;
        }
        TABLE[slot] = s;
        return s;
    }
}
