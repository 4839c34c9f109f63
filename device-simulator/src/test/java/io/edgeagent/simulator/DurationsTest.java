package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "1.5s,PT1.5S", "5m,PT5M", "1h,PT1H", "PT45S,PT45S", "' 2s ',PT2S", "0,PT0S"})
    void parse_shortOrIsoForm_givesDuration(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @Test
    void parse_unknownUnit_namesTheTextAndTheAcceptedForms() {
        assertThatThrownBy(() -> Durations.parse("5x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5x'").hasMessageContaining("30s");
    }

    @ParameterizedTest
    @CsvSource({"PT2H,2h", "PT3M,3m", "PT90S,90s", "PT1.5S,1500ms", "PT0S,0s"})
    void format_anyDuration_readsBackTheSame(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
