package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import org.junit.jupiter.api.Test;

/** The JSON the buffer stores and the uplink sends. */
class EventJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void toJson_reading_hasEveryFieldAndParsesBackToTheSameEvent() throws Exception {
        Reading reading = new Reading("id-1", "cold-room-1", "temperature", 4.2, "C", 1_795_335_330_250L,
                1_795_335_331_000L, "sensors/cold-room-1/temperature");

        String json = EventJson.toJson(reading);
        JsonNode node = JSON.readTree(json);

        assertThat(node.get("id").asText()).isEqualTo("id-1");
        assertThat(node.get("kind").asText()).isEqualTo("Reading");
        assertThat(node.get("deviceId").asText()).isEqualTo("cold-room-1");
        assertThat(node.get("type").asText()).isEqualTo("temperature");
        assertThat(node.get("value").isNumber()).isTrue();
        assertThat(node.get("value").doubleValue()).isEqualTo(4.2);
        assertThat(node.get("unit").asText()).isEqualTo("C");
        assertThat(node.get("eventTime").longValue()).isEqualTo(1_795_335_330_250L);
        assertThat(node.get("receivedTime").longValue()).isEqualTo(1_795_335_331_000L);
        assertThat(node.get("topic").asText()).isEqualTo("sensors/cold-room-1/temperature");
        assertThat(EventJson.fromJson(json, "unused")).isEqualTo(reading);
    }

    @Test
    void toJson_location_omitsAbsentOptionalsAndParsesBack() throws Exception {
        Location location = new Location("id-2", "truck-7", 52.5201, 13.4049, 5.0, null, 270.0, 10L, 20L,
                "trackers/truck-7/location");

        String json = EventJson.toJson(location);
        JsonNode node = JSON.readTree(json);

        assertThat(node.get("kind").asText()).isEqualTo("Location");
        assertThat(node.get("lat").doubleValue()).isEqualTo(52.5201);
        assertThat(node.get("lon").doubleValue()).isEqualTo(13.4049);
        assertThat(node.get("accuracy").doubleValue()).isEqualTo(5.0);
        assertThat(node.get("heading").doubleValue()).isEqualTo(270.0);
        assertThat(node.has("speed")).isFalse();
        assertThat(node.has("type")).isFalse();
        assertThat(EventJson.fromJson(json, "unused")).isEqualTo(location);
    }

    @Test
    void toJson_readingWithoutUnitAndWithQuotesInIds_isValidJsonAndParsesBack() throws Exception {
        Event reading = new Reading("a\"b", "dev\\\"{x}", "t\n", -0.5, null, 1L, 2L, "raw/dev/t");

        String json = EventJson.toJson(reading);

        assertThat(JSON.readTree(json).has("unit")).isFalse();
        assertThat(EventJson.fromJson(json, "unused")).isEqualTo(reading);
    }

    @Test
    void fromJson_handWrittenLineWithIsoTime_fillsDefaults() {
        Event event = EventJson.fromJson(
                "{\"kind\":\"reading\",\"deviceId\":\"d\",\"type\":\"t\",\"value\":3,\"eventTime\":\"2026-11-22T08:15:30Z\"}",
                "default-id");

        assertThat(event).isEqualTo(new Reading("default-id", "d", "t", 3.0, null, 1_795_335_330_000L,
                1_795_335_330_000L, ""));
    }

    @Test
    void fromJson_missingField_failsNamingIt() {
        assertThatThrownBy(() -> EventJson.fromJson("{\"kind\":\"Location\",\"deviceId\":\"d\",\"eventTime\":1,"
                + "\"lat\":1}", "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lon'");
    }
}
