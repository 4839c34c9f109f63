package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.Problem;
import io.edgeagent.event.Event;
import io.edgeagent.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code pipeline.eventTime}: the event times every decoder accepts, in every form a time can take. */
class EventTimeWindowTest {

    private static final Path ROOT = TestConfigs.repositoryRoot();
    private static final ConfigLoader LOADER = new ConfigLoader(new Placeholders(name -> null));
    private static final long RECEIVED = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();

    private static MessageDecoder decoder(String yaml) throws ConfigException {
        AgentConfig config = LOADER.parse("test.yaml", yaml, ROOT);
        return new MessageDecoder(config.inputs(), config.declaredEventTypes(), config.pipeline().eventTime());
    }

    private static MessageDecoder repository;

    private static MessageDecoder repositoryDecoder() throws ConfigException {
        if (repository == null) {
            AgentConfig config = LOADER.load(ROOT.resolve("config.yaml"));
            repository = new MessageDecoder(config.inputs(), config.declaredEventTypes(), config.pipeline().eventTime());
        }
        return repository;
    }

    /** The payload of each built-in decoder with {@code time} (JSON text) where it reads the event time. */
    private static String payload(String topic, String time) {
        return switch (topic.substring(0, topic.indexOf('/'))) {
            case "sensors" -> "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":1,\"ts\":" + time + "}";
            case "trackers" -> "{\"deviceId\":\"t\",\"lat\":1,\"lon\":2,\"ts\":" + time + "}";
            case "tele" -> "{\"Time\":" + time + ",\"AM2301\":{\"Temperature\":21.3}}";
            default -> "{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":" + time + "}";
        };
    }

    private static long eventTime(MessageDecoder decoder, String topic, String time, long received)
            throws DecodeException {
        List<Event> events = decoder.decode(topic, payload(topic, time).getBytes(StandardCharsets.UTF_8), received);
        assertThat(events).isNotEmpty();
        return events.get(0).eventTime();
    }

    private static String refusal(MessageDecoder decoder, String topic, String time, long received) {
        DecodeException e = catchThrowableOfType(() -> decoder.decode(topic,
                payload(topic, time).getBytes(StandardCharsets.UTF_8), received), DecodeException.class);
        assertThat(e).as("%s on %s must be refused", time, topic).isNotNull();
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sensors/d/t         | \"+999999999-12-31T23:59:59Z\"",
            "sensors/d/t         | \"-999999999-01-01T00:00:00Z\"",
            "sensors/d/t         | 99999999999999999999",
            "sensors/d/t         | 9223372036854775807",
            "sensors/d/t         | -9223372036854775808",
            "sensors/d/t         | -1",
            "sensors/d/t         | 0",
            "sensors/d/t         | 946684799",
            "sensors/d/t         | 946684799999",
            "sensors/d/t         | 1.7E300",
            "sensors/d/t         | \"1999-12-31T23:59:59.999Z\"",
            "sensors/d/t         | \"2026-11-23T09:00:00.001Z\"",
            "sensors/d/t         | \"99999999999999999999\"",
            "trackers/t/location | \"+999999999-12-31T23:59:59Z\"",
            "trackers/t/location | 1.0E20",
            "tele/tz/SENSOR      | \"+999999999-12-31T23:59:59\"",
            "tele/tz/SENSOR      | \"1970-01-01T00:00:00\"",
            "owntracks/a/phone   | 99999999999",
            "owntracks/a/phone   | -99999999999"})
    void decode_timeOutsideTheDefaultWindow_isRefusedNamingTheSetting(String topic, String time) throws ConfigException {
        String reason = refusal(repositoryDecoder(), topic, time, RECEIVED);

        assertThat(reason).contains("pipeline.eventTime").contains("the device's clock is not set or wrong")
                .contains(time.replace("\"", ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sensors/d/t         | 946684800                  | 2000-01-01T00:00:00Z",
            "sensors/d/t         | 946684800000               | 2000-01-01T00:00:00Z",
            "sensors/d/t         | \"1795335330\"             | 2026-11-22T08:15:30Z",
            "sensors/d/t         | \"1795335330250\"          | 2026-11-22T08:15:30.250Z",
            "sensors/d/t         | \"1795335330.25\"          | 2026-11-22T08:15:30.250Z",
            "sensors/d/t         | 1.79533533025E12           | 2026-11-22T08:15:30.250Z",
            "sensors/d/t         | 1795335330.123             | 2026-11-22T08:15:30.123Z",
            "sensors/d/t         | \"2026-11-23T09:00:00Z\"   | 2026-11-23T09:00:00Z",
            "tele/tz/SENSOR      | \"2026-11-23T09:00:00\"    | 2026-11-23T09:00:00Z",
            "owntracks/a/phone   | 1795421730                 | 2026-11-23T08:15:30Z"})
    void decode_everyFormInsideTheWindow_givesTheEventTime(String topic, String time, String expected)
            throws Exception {
        assertThat(eventTime(repositoryDecoder(), topic, time, RECEIVED))
                .isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "\"NaN\"", "\"Infinity\"", "\"0x10\""})
    void decode_nonFiniteOrNonDecimalTime_isRefused(String time) throws ConfigException {
        assertThat(refusal(repositoryDecoder(), "sensors/d/t", time, RECEIVED)).contains("field 'timestamp' (/ts)");
    }

    /** A gateway without a real-time clock, before NTP: it cannot tell "ahead", so only the absolute bound holds. */
    @Test
    void decode_agentClockBeforeEarliest_acceptsTodaysTimesButNotYear10000() throws Exception {
        long unsetClock = 5_000;

        assertThat(eventTime(repositoryDecoder(), "sensors/d/t", "\"2026-11-22T08:15:30Z\"", unsetClock))
                .isEqualTo(Instant.parse("2026-11-22T08:15:30Z").toEpochMilli());
        assertThat(refusal(repositoryDecoder(), "sensors/d/t", "\"+10000-01-01T00:00:00Z\"", unsetClock))
                .contains("9999-12-31T23:59:59.999Z").contains("the agent's own clock");
    }

    @Test
    void decode_configuredWindow_isTheOneApplied() throws Exception {
        MessageDecoder decoder = decoder("""
                inputs:
                  - topic: sensors/+/+
                pipeline:
                  eventTime:
                    earliest: 1970-01-01
                    maxAhead: 10m
                """);

        assertThat(eventTime(decoder, "sensors/d/t", "1", RECEIVED)).isEqualTo(1000);
        assertThat(eventTime(decoder, "sensors/d/t", String.valueOf(RECEIVED + 600_000), RECEIVED))
                .isEqualTo(RECEIVED + 600_000);
        assertThat(refusal(decoder, "sensors/d/t", String.valueOf(RECEIVED + 600_001), RECEIVED))
                .contains("pipeline.eventTime.maxAhead, 10m");
    }

    @Test
    void config_defaults_areTheDocumentedWindow() throws ConfigException {
        EventTimeWindow window = LOADER.load(ROOT.resolve("config.yaml")).pipeline().eventTime();

        assertThat(window.earliest()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(window.maxAhead()).isEqualTo(Duration.ofDays(1));
        assertThat(window).isEqualTo(EventTimeWindow.defaults());
    }

    @Test
    void config_badWindow_reportsEachKeyWithWhatWasExpected() {
        String text = """
                inputs:
                  - topic: sensors/+/+
                pipeline:
                  eventTime:
                    earliest: 2000-13-01
                    maxAhead: PT-1S
                """;

        ConfigException e = catchThrowableOfType(() -> LOADER.parse("test.yaml", text, ROOT), ConfigException.class);

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(Problem::path)
                .containsExactlyInAnyOrder("pipeline.eventTime.earliest", "pipeline.eventTime.maxAhead");
        assertThat(e.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("2000-01-01"))
                .anySatisfy(m -> assertThat(m).contains("from 0s to 36500d"));
    }
}
