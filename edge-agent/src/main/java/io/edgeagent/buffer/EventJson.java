package io.edgeagent.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The upload wire format of one event (docs/uplink.md): a flat JSON object with {@code id}, {@code kind}, the event's
 * fields, {@code eventTime} and {@code receivedTime} in epoch milliseconds, and the source {@code topic}. It is what
 * the buffer stores, so an upload sends exactly the bytes that were made durable.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {
    }

    public static String toJson(Event event) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", event.id());
            g.writeStringField("kind", event.kind());
            g.writeStringField("deviceId", event.deviceId());
            if (event instanceof Reading r) {
                g.writeStringField("type", r.type());
                g.writeNumberField("value", r.value());
                if (r.unit() != null) {
                    g.writeStringField("unit", r.unit());
                }
            } else if (event instanceof Location l) {
                g.writeNumberField("lat", l.lat());
                g.writeNumberField("lon", l.lon());
                optional(g, "accuracy", l.accuracy());
                optional(g, "speed", l.speed());
                optional(g, "heading", l.heading());
            }
            g.writeNumberField("eventTime", event.eventTime());
            g.writeNumberField("receivedTime", event.receivedTime());
            g.writeStringField("topic", event.topic());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void optional(JsonGenerator g, String name, Double value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        }
    }
}
