package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFiltersTest {

    @ParameterizedTest
    @ValueSource(strings = {"sensors/+/+", "#", "+", "sensors/#", "a/b/c", "+/+/#", "/leading/slash", "a//b", "$SYS/#"})
    void check_validFilter_returnsNull(String filter) {
        assertThat(TopicFilters.check(filter)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"sensors/#/x, '#'", "a/b#, '#'", "#/a, '#'", "sensors/temp+, '+'", "a/+b/c, '+'", "++, '+'"})
    void check_misplacedWildcard_namesTheWildcard(String filter, String wildcard) {
        assertThat(TopicFilters.check(filter)).startsWith("expected '" + wildcard + "' only as");
    }

    @ParameterizedTest
    @CsvSource({"sensors/+/+, sensors/cold-1/temperature", "sensors/#, sensors/a/b/c", "sensors/#, sensors",
            "#, a/b", "+/+, /finance", "a/+/c, a//c", "a/b, a/b", "tele/+/SENSOR, tele/kitchen/SENSOR"})
    void matches_matchingTopic_isTrue(String filter, String topic) {
        assertThat(TopicFilters.matches(filter, topic)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"sensors/+/+, sensors/cold-1", "sensors/+/+, sensors/a/b/c", "sensors/+, other/a", "a/b, a/b/c",
            "a/b/c, a/b", "tele/+/SENSOR, tele/kitchen/STATE", "+, a/b", "a/b, A/B"})
    void matches_otherTopic_isFalse(String filter, String topic) {
        assertThat(TopicFilters.matches(filter, topic)).isFalse();
    }

    /** The in-place matcher against the definition: split both on '/' (keeping empty levels) and compare. */
    @Test
    void matches_agreesWithLevelByLevelComparisonOfTheSplitStrings() {
        Random random = new Random(7);
        String[] filterLevels = {"a", "b", "", "+", "#", "ab"};
        String[] topicLevels = {"a", "b", "", "ab", "+", "#"};
        for (int i = 0; i < 50_000; i++) {
            String filter = join(random, filterLevels);
            String topic = join(random, topicLevels);
            assertThat(TopicFilters.matches(filter, topic)).as("%s on %s", filter, topic)
                    .isEqualTo(bySplitting(filter, topic));
        }
    }

    private static String join(Random random, String[] levels) {
        int n = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : "/").append(levels[random.nextInt(levels.length)]);
        }
        return b.toString();
    }

    /** MQTT 4.7 written out plainly: '+' is one level, '#' the rest (its parent included), '$' topics not by wildcards. */
    static boolean bySplitting(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
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
