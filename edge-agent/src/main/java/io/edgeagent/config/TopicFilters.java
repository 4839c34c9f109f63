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
     * What keeps {@code value} from being placed inside one level of a topic name, as far as the topic's structure
     * goes, or null: '/' would add levels, '+' and '#' are wildcards. Characters MQTT forbids or discourages are the
     * MQTT client's check ({@code PatchedPaho.topicProblem}).
     */
    public static String levelProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/') {
                return "it contains '/', which would add a topic level";
            } else if (c == '+' || c == '#') {
                return "it contains '" + c + "', an MQTT wildcard";
            }
        }
        return null;
    }

    /**
     * Whether {@code topic} (a concrete topic name) matches {@code filter}. Level by level in place, without
     * splitting either string: it runs for every message.
     */
    public static boolean matches(String filter, String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '#' || filter.charAt(0) == '+')) {
            // MQTT 4.7.2: $SYS/... and other broker topics are not matched by a leading wildcard.
            return false;
        }
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
