package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every format's payloads, parsed back, are what docs/event-format.md specifies; and all formats carry the same
 * readings for the same seed, so a run's format changes the encoding and nothing else.
 */
class PayloadFormatTest {

    private static final Instant START = Instant.parse("2026-11-22T08:15:30.250Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> READING_FIELDS = Set.of("deviceId", "type", "value", "unit", "ts");
    private static final Set<String> LOCATION_FIELDS =
            Set.of("deviceId", "lat", "lon", "accuracy", "speed", "heading", "ts");

    private static List<PlannedMessage> plan(String scenario, PayloadFormat format) {
        return Simulator.plan(SimulatorOptions.builder().scenario(scenario).format(format).seed(9L)
                .startTime(START).build());
    }

    private static Map<String, PlannedMessage> byDeviceAndTime(List<PlannedMessage> plan) {
        return plan.stream().collect(Collectors.toMap(m -> m.deviceId() + "@" + m.offset(), Function.identity()));
    }

    @Test
    void json_readings_matchSection1() throws Exception {
        for (PlannedMessage m : plan("heatwave", PayloadFormat.JSON)) {
            JsonNode p = JSON.readTree(m.payload());
            String[] topic = m.topic().split("/");
            assertThat(topic).hasSize(3);
            assertThat(topic[0]).isEqualTo("sensors");
            assertThat(fieldNames(p)).isSubsetOf(READING_FIELDS).contains("deviceId", "type", "value", "ts");
            assertThat(p.get("deviceId").asText()).isEqualTo(topic[1]).isEqualTo(m.deviceId());
            assertThat(p.get("type").asText()).isEqualTo(topic[2]).isIn("temperature", "humidity", "door");
            assertThat(p.get("value").isNumber()).isTrue();
            assertThat(Instant.parse(p.get("ts").asText())).isEqualTo(START.plus(m.offset()));
            if (p.get("type").asText().equals("door")) {
                assertThat(p.get("value").asInt()).isIn(0, 1);
                assertThat(p.has("unit")).isFalse();
            } else {
                assertThat(p.get("unit").asText()).isEqualTo(p.get("type").asText().equals("humidity") ? "%" : "C");
            }
        }
    }

    @Test
    void json_locations_matchSection2() throws Exception {
        for (PlannedMessage m : plan("fleet", PayloadFormat.JSON)) {
            JsonNode p = JSON.readTree(m.payload());
            assertThat(m.topic()).isEqualTo("trackers/" + m.deviceId() + "/location");
            assertThat(fieldNames(p)).isEqualTo(LOCATION_FIELDS);
            assertThat(p.get("deviceId").asText()).isEqualTo(m.deviceId());
            assertThat(p.get("lat").asDouble()).isBetween(52.4, 52.6);
            assertThat(p.get("lon").asDouble()).isBetween(13.3, 13.5);
            assertThat(p.get("accuracy").asDouble()).isEqualTo(5.0);
            assertThat(p.get("speed").asDouble()).isBetween(0.0, 70.0);
            assertThat(p.get("heading").asDouble()).isGreaterThanOrEqualTo(0).isLessThan(360);
            assertThat(Instant.parse(p.get("ts").asText())).isEqualTo(START.plus(m.offset()));
        }
    }

    @Test
    void raw_readings_matchSection3AndCarryTheJsonValues() throws Exception {
        Map<String, PlannedMessage> json = byDeviceAndTime(plan("demo", PayloadFormat.JSON));
        for (PlannedMessage m : plan("demo", PayloadFormat.RAW)) {
            PlannedMessage same = json.get(m.deviceId() + "@" + m.offset());
            if (m.deviceId().equals("truck-1")) {
                assertThat(m).as("raw has no location form: trackers fall back to JSON").isEqualTo(same);
                continue;
            }
            assertThat(m.topic()).matches("raw/" + m.deviceId() + "/(temperature|door)");
            assertThat(m.payloadText()).matches("-?\\d+(\\.\\d+)?");
            assertThat(new BigDecimal(m.payloadText()).doubleValue())
                    .isEqualTo(JSON.readTree(same.payload()).get("value").asDouble());
        }
    }

    @Test
    void tasmota_readings_matchSection4AndCarryTheJsonValues() throws Exception {
        Map<String, PlannedMessage> json = byDeviceAndTime(plan("heatwave", PayloadFormat.JSON));
        for (PlannedMessage m : plan("heatwave", PayloadFormat.TASMOTA)) {
            JsonNode p = JSON.readTree(m.payload());
            JsonNode expected = JSON.readTree(json.get(m.deviceId() + "@" + m.offset()).payload());
            assertThat(m.topic()).isEqualTo("tele/" + m.deviceId() + "/SENSOR");
            assertThat(p.get("TempUnit").asText()).isEqualTo("C");
            assertThat(p.get("Time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
            assertThat(LocalDateTime.parse(p.get("Time").asText()).toInstant(ZoneOffset.UTC))
                    .isEqualTo(Instant.parse(expected.get("ts").asText()).truncatedTo(ChronoUnit.SECONDS));
            // Decoded as the format says: every numeric field of every sensor object, lower-cased, is a reading.
            Map<String, Double> readings = tasmotaReadings(p);
            assertThat(readings).containsExactly(Map.entry(expected.get("type").asText(),
                    expected.get("value").asDouble()));
        }
    }

    @Test
    void owntracks_locations_matchSection5AndCarryTheJsonPositions() throws Exception {
        Map<String, PlannedMessage> json = byDeviceAndTime(plan("fleet", PayloadFormat.JSON));
        for (PlannedMessage m : plan("fleet", PayloadFormat.OWNTRACKS)) {
            JsonNode p = JSON.readTree(m.payload());
            JsonNode expected = JSON.readTree(json.get(m.deviceId() + "@" + m.offset()).payload());
            assertThat(m.topic()).isEqualTo("owntracks/simulator/" + m.deviceId());
            assertThat(p.get("_type").asText()).isEqualTo("location");
            assertThat(p.get("lat").asDouble()).isEqualTo(expected.get("lat").asDouble());
            assertThat(p.get("lon").asDouble()).isEqualTo(expected.get("lon").asDouble());
            assertThat(p.get("acc").isIntegralNumber()).isTrue();
            assertThat(p.get("vel").asLong()).isEqualTo(Math.round(expected.get("speed").asDouble() * 3.6));
            assertThat(p.get("cog").asInt()).isBetween(0, 359);
            assertThat(p.get("tst").asLong()).isEqualTo(Instant.parse(expected.get("ts").asText()).getEpochSecond());
            assertThat(p.get("tid").asText()).hasSize(2);
        }
    }

    @Test
    void owntracks_sensors_fallBackToJson() {
        assertThat(plan("demo", PayloadFormat.OWNTRACKS)).filteredOn(m -> !m.deviceId().equals("truck-1"))
                .isEqualTo(plan("demo", PayloadFormat.JSON).stream().filter(m -> !m.deviceId().equals("truck-1"))
                        .toList());
    }

    @Test
    void json_malformed_failsToParseOrHasNoNumericValue() throws Exception {
        List<PlannedMessage> bad = plan("flaky", PayloadFormat.JSON).stream()
                .filter(m -> m.kind() == MessageKind.MALFORMED).toList();

        assertThat(bad).hasSize(3);
        assertThatThrownBy(() -> JSON.readTree(bad.get(0).payload())).isInstanceOf(JsonProcessingException.class);
        assertThat(JSON.readTree(bad.get(1).payload()).get("value").asText()).isEqualTo("n/a");
        assertThat(JSON.readTree(bad.get(2).payload()).get("value").isArray()).isTrue();
    }

    @Test
    void raw_malformed_isNeverANumber() {
        assertThat(plan("flaky", PayloadFormat.RAW)).filteredOn(m -> m.kind() == MessageKind.MALFORMED)
                .hasSize(3).allSatisfy(m -> assertThatThrownBy(() -> new BigDecimal(m.payloadText()))
                        .isInstanceOf(NumberFormatException.class));
    }

    @Test
    void tasmota_malformed_hasNoNumericSensorField() {
        assertThat(plan("flaky", PayloadFormat.TASMOTA)).filteredOn(m -> m.kind() == MessageKind.MALFORMED)
                .hasSize(3).allSatisfy(m -> {
                    try {
                        assertThat(tasmotaReadings(JSON.readTree(m.payload()))).isEmpty();
                    } catch (JsonProcessingException truncated) {
                        assertThat(m.payloadText()).doesNotEndWith("}");
                    }
                });
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Double> tasmotaReadings(JsonNode root) {
        Map<String, Double> readings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> sensor : root.properties()) {
            if (sensor.getValue().isObject()) {
                sensor.getValue().properties().forEach(f -> {
                    if (f.getValue().isNumber()) {
                        readings.put(f.getKey().toLowerCase(Locale.ROOT), f.getValue().asDouble());
                    }
                });
            }
        }
        return readings;
    }
}
