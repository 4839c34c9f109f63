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
     * What keeps {@code value} from being placed inside one level of a topic name, or null when nothing does. A level
     * cannot hold '/' (it would add levels), '+' or '#' (wildcards) or NUL; nor the characters MQTT forbids in topics
     * or that brokers refuse (control characters, noncharacters; Mosquitto disconnects a client that sends them), nor
     * characters that the MQTT client (Paho 1.2.5) refuses to encode or decode: those outside the Basic Multilingual
     * Plane and every one from U+FDD0 on (its noncharacter check is too wide). Any of these would cost the connection
     * that carries every other device's commands too.
     */
    public static String levelProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '/' && c != '+' && c != '#') {
                continue;
            }
            String problem = switch (c) {
                case '/' -> "it contains '/', which would add a topic level";
                case '+', '#' -> "it contains '" + c + "', an MQTT wildcard";
                case 0 -> "it contains NUL, which MQTT does not allow in topics";
                default -> characterProblem(value, i);
            };
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String characterProblem(String value, int i) {
        char c = value.charAt(i);
        String code = String.format("U+%04X", value.codePointAt(i));
        if (Character.isISOControl(c)) {
            return "it contains " + code + ", a control character, which MQTT does not allow in topics";
        } else if (Character.isSurrogate(c)) {
            return "it contains " + code + ", " + (Character.isSurrogatePair(c, i + 1 < value.length()
                    ? value.charAt(i + 1) : 0) ? "a character outside the Basic Multilingual Plane, which the MQTT "
                    + "client cannot send" : "half of a surrogate pair, which is not valid UTF-8");
        } else if ((c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xFFFE) {
            return "it contains " + code + ", a noncharacter, which MQTT brokers refuse in topics";
        } else if (c > 0xFDEF) {
            // Paho 1.2.5's check meant to reject noncharacters rejects every character from U+FDD0 on.
            return "it contains " + code + ", which the MQTT client refuses to send (every character from U+FDD0 on)";
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
