package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldsTimeTest {

    @Test
    void utcMillis_simpleIsoShapes_matchInstantParse() {
        List<String> samples = List.of("2026-11-22T01:38:26Z", "2026-11-22T01:38:26.1Z", "2026-11-22T01:38:26.12Z",
                "2026-11-22T01:38:26.123Z", "2026-11-22T01:38:26.123456789Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "2024-02-29T12:00:00.5Z", "9999-12-31T23:59:59.9Z");
        for (String s : samples) {
            assertThat(Fields.utcMillis(s)).as(s).isEqualTo(Instant.parse(s).toEpochMilli());
        }
    }

    @Test
    void utcMillis_randomInstants_matchInstantParse() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 100_000_000_000L, random.nextInt(1_000_000_000));
            String text = instant.toString();
            if (text.startsWith("-") || text.startsWith("+")) {
                continue;
            }
            assertThat(Fields.utcMillis(text)).as(text).isEqualTo(instant.toEpochMilli());
        }
    }

    @Test
    void time_zoneLessLocalTime_isUtcAsBefore() throws DecodeException {
        Fields f = new Fields("tele/x/SENSOR", new byte[0], null);
        for (String s : List.of("2026-11-22T01:20:05", "2026-11-22T01:20:05.25", "2026-11-22T01:20")) {
            long expected = java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            assertThat(f.time("Time", new io.edgeagent.config.FieldSource.Constant(s), expected,
                    io.edgeagent.config.EventTimeWindow.defaults())).as(s).isEqualTo(expected);
        }
    }

    @Test
    void utcMillis_otherShapes_deferToTheGeneralParser() {
        for (String s : List.of("2026-11-22T01:38:26+01:00", "2026-11-22T01:38:26", "2026-02-30T00:00:00Z",
                "2026-11-22T24:00:00Z", "2026-11-22T01:38:60Z", "2026-11-22 01:38:26Z", "2026-11-22T01:38:26.Z",
                "2026-11-22T01:38:26.1234567890Z", "2026-1x-22T01:38:26Z", "+12026-11-22T01:38:26Z")) {
            assertThat(Fields.utcMillis(s)).as(s).isEqualTo(Long.MIN_VALUE);
        }
    }
}
