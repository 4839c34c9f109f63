package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

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
}
