package io.edgeagent.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.event.Derived;
import io.edgeagent.event.Event;
import io.edgeagent.wire.EventJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived events (from {@code emit} action steps) in the wire format the buffer stores and uploads. */
class DerivedEventJsonTest {

    @Test
    void toJson_derivedEvent_writesTypeAndFieldsObject_andReadsBack() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("alert", "temperature-high");
        fields.put("temperature", 9.5);
        Derived alert = new Derived("action-7-0", "cold-1", "alert", fields, 1000, 1001, "rules/cold-chain");

        String json = EventJson.toJson(alert);

        assertThat(json).isEqualTo("{\"id\":\"action-7-0\",\"kind\":\"Derived\",\"deviceId\":\"cold-1\",\"type\":\"alert\","
                + "\"fields\":{\"alert\":\"temperature-high\",\"temperature\":9.5},\"eventTime\":1000,\"receivedTime\":1001,"
                + "\"topic\":\"rules/cold-chain\"}");
        Event back = EventJson.fromJson(json, "x");
        assertThat(back).isEqualTo(alert);
    }
}
