package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.FieldSource;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.Placeholders;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding with the inputs of the repository's config.yaml, as the agent runs out of the box. */
class MessageDecoderTest {

    private static final long RECEIVED = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    private static MessageDecoder decoder;

    @BeforeAll
    static void repositoryInputs() throws ConfigException {
        List<InputConfig> inputs = new ConfigLoader(new Placeholders(name -> null))
                .load(TestConfigs.repositoryRoot().resolve("config.yaml")).inputs();
        decoder = new MessageDecoder(inputs);
    }

    private static List<Event> decode(String topic, String payload) throws DecodeException {
        return decoder.decode(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    private static Reading reading(String topic, String payload) throws DecodeException {
        List<Event> events = decode(topic, payload);
        assertThat(events).hasSize(1).first().isInstanceOf(Reading.class);
        return (Reading) events.get(0);
    }

    private static Location location(String topic, String payload) throws DecodeException {
        List<Event> events = decode(topic, payload);
        assertThat(events).hasSize(1).first().isInstanceOf(Location.class);
        return (Location) events.get(0);
    }

    private static String failure(String topic, String payload) {
        DecodeException e = catchThrowableOfType(DecodeException.class, () -> decode(topic, payload));
        assertThat(e).as("%s %s must not decode", topic, payload).isNotNull();
        return e.getMessage();
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void decode_jsonReading_readsEveryField() throws DecodeException {
        Reading r = reading("sensors/cold-room-1/temperature",
                "{\"deviceId\":\"cold-room-1\",\"type\":\"temperature\",\"value\":4.2,\"unit\":\"C\","
                        + "\"ts\":\"2026-11-22T08:15:30.250Z\"}");

        assertThat(r.deviceId()).isEqualTo("cold-room-1");
        assertThat(r.type()).isEqualTo("temperature");
        assertThat(r.value()).isEqualTo(4.2);
        assertThat(r.unit()).isEqualTo("C");
        assertThat(r.eventTime()).isEqualTo(millis("2026-11-22T08:15:30.250Z"));
        assertThat(r.receivedTime()).isEqualTo(RECEIVED);
        assertThat(r.topic()).isEqualTo("sensors/cold-room-1/temperature");
        assertThat(r.kind()).isEqualTo("Reading");
        assertThat(UUID.fromString(r.id()).toString()).isEqualTo(r.id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"2026-11-22T08:15:30.250Z\"      | 2026-11-22T08:15:30.250Z",
            "\"2026-11-22T09:15:30.250+01:00\" | 2026-11-22T08:15:30.250Z",
            "\"2026-11-22T08:15:30\"           | 2026-11-22T08:15:30Z",
            "1795335330250                     | 2026-11-22T08:15:30.250Z",
            "1795335330                        | 2026-11-22T08:15:30Z",
            "1795335330.25                     | 2026-11-22T08:15:30.250Z"})
    void decode_timestampForms_giveTheEventTime(String ts, String expected) throws DecodeException {
        Reading r = reading("sensors/d/t", "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":1,\"ts\":" + ts + "}");

        assertThat(r.eventTime()).isEqualTo(millis(expected));
    }

    @Test
    void decode_readingWithoutTimestamp_usesTheReceiveTime() throws DecodeException {
        Reading r = reading("sensors/d/t", "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":1}");

        assertThat(r.eventTime()).isEqualTo(RECEIVED);
        assertThat(r.unit()).isNull();
    }

    @Test
    void decode_payloadWithId_usesItAsTheEventId() throws DecodeException {
        Reading r = reading("sensors/d/t", "{\"id\":\"msg-42\",\"deviceId\":\"d\",\"type\":\"t\",\"value\":1}");

        assertThat(r.id()).isEqualTo("msg-42");
    }

    @Test
    void decode_jsonLocation_readsEveryField() throws DecodeException {
        Location l = location("trackers/truck-7/location", "{\"deviceId\":\"truck-7\",\"lat\":52.5201,\"lon\":13.4049,"
                + "\"accuracy\":5.0,\"speed\":13.9,\"heading\":270.0,\"ts\":\"2026-11-22T08:15:30Z\"}");

        assertThat(l.deviceId()).isEqualTo("truck-7");
        assertThat(l.lat()).isEqualTo(52.5201);
        assertThat(l.lon()).isEqualTo(13.4049);
        assertThat(l.accuracy()).isEqualTo(5.0);
        assertThat(l.speed()).isEqualTo(13.9);
        assertThat(l.heading()).isEqualTo(270.0);
        assertThat(l.eventTime()).isEqualTo(millis("2026-11-22T08:15:30Z"));
        assertThat(l.kind()).isEqualTo("Location");
    }

    @Test
    void decode_locationWithoutOptionalFields_leavesThemNull() throws DecodeException {
        Location l = location("trackers/t/location", "{\"deviceId\":\"t\",\"lat\":-33.9,\"lon\":151.2}");

        assertThat(l.accuracy()).isNull();
        assertThat(l.speed()).isNull();
        assertThat(l.heading()).isNull();
        assertThat(l.eventTime()).isEqualTo(RECEIVED);
    }

    @Test
    void decode_rawNumber_takesDeviceAndTypeFromTheTopic() throws DecodeException {
        Reading r = reading("raw/pump-3/pressure", " 2.75\n");

        assertThat(r.deviceId()).isEqualTo("pump-3");
        assertThat(r.type()).isEqualTo("pressure");
        assertThat(r.value()).isEqualTo(2.75);
        assertThat(r.unit()).isNull();
        assertThat(r.eventTime()).isEqualTo(RECEIVED);
    }

    @Test
    void decode_tasmotaAm2301_givesTemperatureAndHumidityAtTheUtcTime() throws DecodeException {
        List<Event> events = decode("tele/kitchen/SENSOR",
                "{\"Time\":\"2026-11-22T08:15:30\",\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45.0},\"TempUnit\":\"C\"}");

        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e).isInstanceOf(Reading.class);
            assertThat(e.deviceId()).isEqualTo("kitchen");
            assertThat(e.eventTime()).isEqualTo(millis("2026-11-22T08:15:30Z"));
        });
        assertThat(events).extracting(e -> ((Reading) e).type()).containsExactly("temperature", "humidity");
        assertThat(events).extracting(e -> ((Reading) e).value()).containsExactly(21.3, 45.0);
        assertThat(events).extracting(e -> ((Reading) e).unit()).containsExactly("C", "%");
        assertThat(events.get(0).id()).isNotEqualTo(events.get(1).id());
    }

    @Test
    void decode_tasmotaFahrenheitAndPressure_useTheirUnits() throws DecodeException {
        List<Event> events = decode("tele/attic/SENSOR",
                "{\"BME280\":{\"Temperature\":70.1,\"Pressure\":1013.2,\"Id\":\"x\"},\"TempUnit\":\"F\",\"PressureUnit\":\"hPa\"}");

        assertThat(events).extracting(e -> ((Reading) e).type()).containsExactly("temperature", "pressure");
        assertThat(events).extracting(e -> ((Reading) e).unit()).containsExactly("F", "hPa");
        assertThat(events).allSatisfy(e -> assertThat(e.eventTime()).isEqualTo(RECEIVED));
    }

    @Test
    void decode_tasmotaWithoutNumbers_failsNamingTheInput() {
        assertThat(failure("tele/kitchen/SENSOR", "{\"Time\":\"2026-11-22T08:15:30\",\"Switch1\":\"ON\"}"))
                .startsWith("input 'tasmota': ").contains("no sensor object with numeric values");
    }

    @Test
    void decode_ownTracksLocation_convertsUnits() throws DecodeException {
        Location l = location("owntracks/alice/phone",
                "{\"_type\":\"location\",\"lat\":52.5201,\"lon\":13.4049,\"acc\":10,\"vel\":50,\"cog\":270,"
                        + "\"tst\":1763799330,\"tid\":\"t7\"}");

        assertThat(l.deviceId()).isEqualTo("phone");
        assertThat(l.lat()).isEqualTo(52.5201);
        assertThat(l.lon()).isEqualTo(13.4049);
        assertThat(l.accuracy()).isEqualTo(10.0);
        assertThat(l.speed()).as("50 km/h in m/s").isCloseTo(13.889, within(0.001));
        assertThat(l.heading()).isEqualTo(270.0);
        assertThat(l.eventTime()).as("tst is epoch seconds").isEqualTo(1_763_799_330_000L);
    }

    @Test
    void decode_ownTracksWithoutVelocity_hasNoSpeed() throws DecodeException {
        Location l = location("owntracks/alice/phone", "{\"_type\":\"location\",\"lat\":1,\"lon\":2}");

        assertThat(l.speed()).isNull();
        assertThat(l.eventTime()).isEqualTo(RECEIVED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"_type\":\"lwt\",\"tst\":1763799330}",
            "{\"_type\":\"transition\",\"event\":\"enter\",\"lat\":1,\"lon\":2}",
            "{\"_type\":\"card\",\"name\":\"Alice\"}"})
    void decode_ownTracksNonLocationMessage_givesNoEvents(String payload) throws DecodeException {
        assertThat(decode("owntracks/alice/phone", payload)).isEmpty();
    }

    @Test
    void decode_ownTracksPositionOutOfRange_failsWithBothValues() {
        assertThat(failure("owntracks/alice/phone", "{\"_type\":\"location\",\"lat\":91,\"lon\":2}"))
                .startsWith("input 'owntracks': ").contains("91.0, 2.0");
    }

    @Test
    void decode_truncatedJson_failsNamingInputAndSayingInvalidJson() {
        assertThat(failure("sensors/d/t", "{\"deviceId\":\"d\",\"value\":"))
                .startsWith("input 'readings': payload is not valid JSON");
    }

    @Test
    void decode_nonNumericValue_failsNamingInputFieldAndWhatWasFound() {
        assertThat(failure("sensors/d/t", "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":\"hot\"}"))
                .isEqualTo("input 'readings': field 'value' (/value): expected a number but found \"hot\"");
    }

    @Test
    void decode_longNonNumericRawPayload_isAbbreviatedInTheMessage() {
        String message = failure("raw/pump/pressure", "x".repeat(500));

        assertThat(message).startsWith("input 'raw': field 'value' (payload): expected a number but found \"")
                .contains("x".repeat(40) + "...").hasSizeLessThan(200);
    }

    @Test
    void decode_missingDeviceId_failsNamingTheField() {
        assertThat(failure("sensors/d/t", "{\"type\":\"t\",\"value\":1}"))
                .isEqualTo("input 'readings': field 'deviceId' (/deviceId): required but missing");
    }

    @Test
    void decode_nonFiniteValue_fails() {
        assertThat(failure("sensors/d/t", "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":\"NaN\"}"))
                .contains("field 'value'").contains("finite");
    }

    @Test
    void decode_objectWhereValueExpected_failsSayingWhatWasFound() {
        assertThat(failure("sensors/d/t", "{\"deviceId\":{\"a\":1},\"type\":\"t\",\"value\":1}"))
                .contains("field 'deviceId' (/deviceId): expected a string or number but found an object");
    }

    @Test
    void decode_latitudeOutOfRange_failsWithTheValue() {
        assertThat(failure("trackers/t/location", "{\"deviceId\":\"t\",\"lat\":95.5,\"lon\":13.4}"))
                .isEqualTo("input 'locations': field 'lat': expected a latitude from -90 to 90 but found 95.5");
    }

    @Test
    void decode_badTimestamp_failsNamingTheField() {
        assertThat(failure("sensors/d/t", "{\"deviceId\":\"d\",\"type\":\"t\",\"value\":1,\"ts\":\"yesterday\"}"))
                .contains("input 'readings': field 'timestamp' (/ts)").contains("\"yesterday\"");
    }

    @Test
    void decode_arrayPayload_failsSayingAnObjectWasExpected() {
        assertThat(failure("sensors/d/t", "[{\"deviceId\":\"d\",\"type\":\"t\",\"value\":1}]"))
                .isEqualTo("input 'readings': payload: expected a JSON object but found array");
    }

    @Test
    void decode_emptyPayload_failsSayingNothingWasFound() {
        assertThat(failure("sensors/d/t", "")).startsWith("input 'readings': payload").contains("nothing");
    }

    @Test
    void decode_topicMatchingNoInput_failsNamingTheTopic() {
        assertThat(failure("factory/line-1/power", "1")).isEqualTo("no input's topic filter matches topic factory/line-1/power");
    }

    /** docs/event-format.md: a payload with a timestamp identifies its measurement, so a redelivery keeps its ids. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sensors/d/t         | {\"deviceId\":\"d\",\"type\":\"t\",\"value\":1,\"ts\":1795335330250}",
            "trackers/t/location | {\"deviceId\":\"t\",\"lat\":1,\"lon\":2,\"ts\":\"2026-11-22T08:15:30Z\"}",
            "tele/kitchen/SENSOR | {\"Time\":\"2026-11-22T08:15:30\",\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45.0}}",
            "owntracks/a/phone   | {\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1763799330}"})
    void decode_timestampedMessageTwice_givesTheSameIdsWhateverTheReceiveTime(String topic, String payload)
            throws DecodeException {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);

        List<Event> first = decoder.decode(topic, bytes, RECEIVED);
        List<Event> redelivered = decoder.decode(topic, bytes.clone(), RECEIVED + 60_000);

        assertThat(redelivered).extracting(Event::id).containsExactlyElementsOf(first.stream().map(Event::id).toList());
    }

    /**
     * docs/event-format.md: identical bytes without a timestamp or id may be two real readings, so their ids include
     * the receive time and never collide.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "raw/pump/pressure   | 2.5",
            "sensors/d/t         | {\"deviceId\":\"d\",\"type\":\"t\",\"value\":1}",
            "trackers/t/location | {\"deviceId\":\"t\",\"lat\":1,\"lon\":2}",
            "tele/kitchen/SENSOR | {\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45.0}}",
            "owntracks/a/phone   | {\"_type\":\"location\",\"lat\":1,\"lon\":2}"})
    void decode_untimestampedMessageAtAnotherTime_givesOtherIds(String topic, String payload) throws DecodeException {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);

        List<String> first = decoder.decode(topic, bytes, RECEIVED).stream().map(Event::id).toList();
        List<String> later = decoder.decode(topic, bytes, RECEIVED + 1).stream().map(Event::id).toList();

        assertThat(later).doesNotContainAnyElementsOf(first).doesNotHaveDuplicates();
        assertThat(later).allSatisfy(id -> assertThat(UUID.fromString(id)).hasToString(id));
    }

    @Test
    void decode_payloadIdWithoutTimestamp_isKeptWhateverTheReceiveTime() throws DecodeException {
        String payload = "{\"id\":\"m-1\",\"deviceId\":\"d\",\"type\":\"t\",\"value\":1}";

        assertThat(decoder.decode("sensors/d/t", payload.getBytes(StandardCharsets.UTF_8), RECEIVED + 99))
                .extracting(Event::id).containsExactly("m-1");
    }

    /** A Tasmota payload may carry many values; each gets its own id (the index must not wrap at 256). */
    @Test
    void decode_tasmotaPayloadWith300Values_givesEveryReadingItsOwnId() throws DecodeException {
        StringBuilder payload = new StringBuilder("{\"Time\":\"2026-11-22T08:15:30\"");
        for (int sensor = 0; sensor < 30; sensor++) {
            payload.append(",\"DS18B20-").append(sensor).append("\":{");
            for (int value = 0; value < 10; value++) {
                payload.append(value == 0 ? "" : ",").append("\"V").append(value).append("\":").append(sensor * 10 + value);
            }
            payload.append('}');
        }
        payload.append('}');

        List<Event> events = decode("tele/bus/SENSOR", payload.toString());

        assertThat(events).hasSize(300);
        assertThat(events.get(256).id()).as("reading 256 vs reading 0").isNotEqualTo(events.get(0).id());
        assertThat(events.stream().map(Event::id).distinct().count()).as("distinct ids").isEqualTo(300);
    }

    @Test
    void decode_firstMatchingInputWins() throws DecodeException {
        MessageDecoder twoInputs = new MessageDecoder(List.of(
                new InputConfig("specific", "raw/pump/+", "raw", "reading",
                        Map.of("deviceId", new FieldSource.Constant("the-pump"))),
                new InputConfig("generic", "raw/+/+", "raw", "reading", null)));

        List<Event> events = twoInputs.decode("raw/pump/pressure", "3".getBytes(StandardCharsets.UTF_8), RECEIVED);
        DecodeException e = catchThrowableOfType(
                DecodeException.class, () -> twoInputs.decode("raw/pump/pressure", "high".getBytes(StandardCharsets.UTF_8), RECEIVED));

        assertThat(events).singleElement().satisfies(ev -> assertThat(ev.deviceId()).isEqualTo("the-pump"));
        assertThat(e.getMessage()).startsWith("input 'specific': ");
    }

    @Test
    void decode_jsonInputWithFieldMapping_readsPointersTopicSegmentsAndConstants() throws DecodeException {
        MessageDecoder mapped = new MessageDecoder(List.of(new InputConfig("factory", "factory/+/+", "json", "reading",
                Map.of("deviceId", new FieldSource.TopicSegment(1), "type", new FieldSource.Constant("power"),
                        "value", fieldSource("/data/watts"), "unit", new FieldSource.Constant("W"),
                        "timestamp", fieldSource("/data/time")))));

        List<Event> events = mapped.decode("factory/press-2/telemetry",
                "{\"data\":{\"watts\":1500,\"time\":1795335330250}}".getBytes(StandardCharsets.UTF_8), RECEIVED);

        assertThat(events).singleElement().isEqualTo(new Reading(events.get(0).id(), "press-2", "power", 1500.0, "W",
                millis("2026-11-22T08:15:30.250Z"), RECEIVED, "factory/press-2/telemetry"));
    }

    @Test
    void decode_topicSegmentBeyondTheTopic_failsNamingTheLevel() {
        MessageDecoder mapped = new MessageDecoder(List.of(new InputConfig("deep", "deep/#", "raw", "reading",
                Map.of("deviceId", new FieldSource.TopicSegment(5)))));

        DecodeException e = catchThrowableOfType(
                DecodeException.class, () -> mapped.decode("deep/a/b", "1".getBytes(StandardCharsets.UTF_8), RECEIVED));

        assertThat(e.getMessage()).isEqualTo("input 'deep': field 'deviceId' (topic level 5 of deep/a/b): required but missing");
    }

    private static FieldSource fieldSource(String pointer) {
        return new FieldSource.Pointer(com.fasterxml.jackson.core.JsonPointer.compile(pointer));
    }
}
