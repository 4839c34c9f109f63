package io.edgeagent.uplink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgeagent.event.BufferedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * The upload wire format (docs/uplink.md): one JSON object per batch,
 * {@code {"agent": ..., "batch": <idempotency key>, "events": [...]}}, where each event is the JSON the buffer stored
 * with the row's {@code seq} added as its first field. Deterministic: the same batch always gives the same bytes.
 */
public final class UplinkWire {

    private static final JsonFactory FACTORY = new JsonFactory();

    private UplinkWire() {
    }

    public static byte[] encode(String agent, UplinkBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + batch.size() * 256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("agent", agent);
            g.writeStringField("batch", batch.key());
            g.writeArrayFieldStart("events");
            for (BufferedEvent event : batch.events()) {
                g.writeRawValue(withSeq(event));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * One event as it appears in a batch (and as a Kafka record's value): the stored JSON with {@code seq} first.
     * The stored body is a JSON object written by the agent; splicing avoids parsing it again.
     */
    public static String withSeq(BufferedEvent event) {
        String body = event.body().strip();
        String rest = body.substring(1).stripLeading();
        return "{\"seq\":" + event.seq() + (rest.startsWith("}") ? "" : ",") + rest;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
