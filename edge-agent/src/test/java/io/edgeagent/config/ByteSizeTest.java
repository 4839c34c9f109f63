package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({"1024, 1024", "12B, 12", "512KB, 524288", "512kb, 524288", "256MB, 268435456", "64 MiB, 67108864",
            "2GB, 2147483648", "'  1gib ', 1073741824", "0, 0"})
    void parse_writtenForms_areBinaryMultiples(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "1.5GB", "-1MB", "10TB", "MB"})
    void parse_otherText_failsWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a size such as 64MB, 512KB or 2GB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999GB", "99999999999999999999"})
    void parse_sizeBeyondLongRange_failsWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a size");
    }

    @ParameterizedTest
    @CsvSource({"268435456, 256MB", "2147483648, 2GB", "524288, 512KB", "1536, 1536", "0, 0"})
    void toString_isTheLargestExactUnit(long bytes, String text) {
        assertThat(new ByteSize(bytes)).hasToString(text);
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }
}
