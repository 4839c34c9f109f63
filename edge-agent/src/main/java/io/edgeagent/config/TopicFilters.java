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

    /**
     * Whether {@code topic} (a concrete topic name) matches {@code filter}. Level by level in place, without
     * splitting either string: it runs for every message.
     */
    public static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        boolean topicDone = false;
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = filter.length();
            }
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true;
            }
            if (topicDone) {
                return false;
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = topic.length();
            }
            boolean any = fLen == 1 && filter.charAt(f) == '+';
            if (!any && (fLen != tEnd - t || !filter.regionMatches(f, topic, t, fLen))) {
                return false;
            }
            boolean topicLast = tEnd == topic.length();
            if (fEnd == filter.length()) {
                return topicLast;
            }
            f = fEnd + 1;
            if (topicLast) {
                topicDone = true;
            } else {
                t = tEnd + 1;
            }
        }
    }
}
