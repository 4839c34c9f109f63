package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "7d, PT168H", "0s, PT0S", "PT30S, PT30S",
            "P2D, PT48H", "'  90s ', PT90S", "10 s, PT10S"})
    void parse_writtenForms_giveTheDuration(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "30", "30 sec", "1.5s", "-5s", "5 m 3 s", "30S"})
    void parse_otherText_failsWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration such as 500ms, 30s, 5m, 1h, 7d or PT30S");
    }

    /** An amount too large for a Duration is a mistake in the file like any other, not an ArithmeticException. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "200000000000000d"})
    void parse_amountBeyondDurationRange_failsWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a duration");
    }

    @ParameterizedTest
    @CsvSource({"PT0.05S, 50ms", "PT1.5S, 1500ms", "PT90S, 90s", "PT120S, 2m", "PT2H, 2h", "PT168H, 7d", "PT0S, 0s",
            "PT61M, 61m"})
    void format_duration_isTheShortestExactForm(String iso, String text) {
        Duration d = Duration.parse(iso);

        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
