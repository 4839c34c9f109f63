package io.edgeagent.config;

/** MQTT topic filter syntax (MQTT 3.1.1 section 4.7), checked before the broker would reject it. */
public final class TopicFilters {

    private TopicFilters() {
    }

    /** @return null when {@code filter} is valid, else what is wrong with it */
    public static String check(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return "expected '#' only as the whole last level of the filter";
            }
            if (level.contains("+") && !level.equals("+")) {
                return "expected '+' only as a whole level, as in sensors/+/temperature";
            }
        }
        return null;
    }

    /** Whether {@code topic} (a concrete topic name) matches {@code filter}. */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
