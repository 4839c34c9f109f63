package io.edgeagent.logtext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PowersOfTenTest {

    @Test
    void isPowerOfTen_countsUpTo100000_logsSixTimes() {
        assertThat(LongStream.rangeClosed(1, 100_000).filter(PowersOfTen::isPowerOfTen).boxed())
                .containsExactly(1L, 10L, 100L, 1_000L, 10_000L, 100_000L);
    }

    @Test
    void isPowerOfTen_nearLongMax_terminates() {
        assertThat(PowersOfTen.isPowerOfTen(1_000_000_000_000_000_000L)).isTrue();
        assertThat(PowersOfTen.isPowerOfTen(Long.MAX_VALUE)).isFalse();
        assertThat(PowersOfTen.isPowerOfTen(0)).isFalse();
    }
}
