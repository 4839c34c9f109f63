package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.PayloadFormat;
import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;

/**
 * Encodes any sample in a payload format, falling back to edge-agent JSON for what the format cannot express (see
 * {@link PayloadFormat}). Thread-safe and deterministic.
 */
public final class Encoder {

    private final PayloadEncoder<Sample.Reading> readings;
    private final PayloadEncoder<Sample.Position> positions;

    public Encoder(PayloadFormat format) {
        this.readings = switch (format) {
            case RAW -> new RawReadings();
            case TASMOTA -> new TasmotaReadings();
            case JSON, OWNTRACKS -> new AgentJsonReadings();
        };
        this.positions = format == PayloadFormat.OWNTRACKS ? new OwnTracksLocations() : new AgentJsonLocations();
    }

    String topic(Sample sample) {
        if (sample instanceof Sample.Reading r) {
            return readings.topic(r);
        }
        return positions.topic((Sample.Position) sample);
    }

    /** The payload, broken as {@code how} says when it is not null. */
    byte[] payload(Sample sample, Instant ts, Malformation how) {
        if (sample instanceof Sample.Reading r) {
            return how == null ? readings.payload(r, ts) : readings.malformed(r, ts, how);
        }
        Sample.Position p = (Sample.Position) sample;
        return how == null ? positions.payload(p, ts) : positions.malformed(p, ts, how);
    }
}
