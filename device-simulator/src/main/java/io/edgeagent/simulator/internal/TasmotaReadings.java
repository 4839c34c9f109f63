package io.edgeagent.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Tasmota {@code tele/<deviceId>/SENSOR} telemetry (event-format.md section 4): {@code Time} in whole seconds without
 * a zone (the simulator's clock is UTC), one sensor object named like the hardware Tasmota reports.
 */
final class TasmotaReadings implements PayloadEncoder<Sample.Reading> {

    @Override
    public String topic(Sample.Reading r) {
        return "tele/" + r.deviceId() + "/SENSOR";
    }

    @Override
    public byte[] payload(Sample.Reading r, Instant ts) {
        ObjectNode root = JsonPayloads.object();
        sensor(root, r, ts);
        return JsonPayloads.bytes(root);
    }

    @Override
    public byte[] malformed(Sample.Reading r, Instant ts, Malformation how) {
        ObjectNode root = JsonPayloads.object();
        ObjectNode sensor = sensor(root, r, ts);
        return JsonPayloads.malformed(root, sensor, field(r), how);
    }

    private static ObjectNode sensor(ObjectNode root, Sample.Reading r, Instant ts) {
        root.put("Time", LocalDateTime.ofInstant(ts.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).toString());
        ObjectNode sensor = root.putObject(switch (r.kind()) {
            case TEMPERATURE -> "DS18B20";
            case HUMIDITY -> "AM2301";
            default -> "Switch1";
        });
        switch (r.kind()) {
            case TEMPERATURE, HUMIDITY -> sensor.put(field(r), r.value());
            default -> sensor.put(field(r), (int) r.value());
        }
        root.put("TempUnit", "C");
        return sensor;
    }

    private static String field(Sample.Reading r) {
        return switch (r.kind()) {
            case TEMPERATURE -> "Temperature";
            case HUMIDITY -> "Humidity";
            default -> "Door";
        };
    }
}
