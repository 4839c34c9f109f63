package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.Malformation;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A bare number on {@code raw/<deviceId>/<type>} (event-format.md section 3); it carries no time. */
final class RawReadings implements PayloadEncoder<Sample.Reading> {

    @Override
    public String topic(Sample.Reading r) {
        return "raw/" + r.deviceId() + "/" + r.kind().readingType();
    }

    @Override
    public byte[] payload(Sample.Reading r, Instant ts) {
        return text(r).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] malformed(Sample.Reading r, Instant ts, Malformation how) {
        String broken = switch (how) {
            // Half of "3.25" can still be a number, so a truncated raw payload is the empty one.
            case TRUNCATED -> "";
            case NON_NUMERIC -> JsonPayloads.NOT_A_NUMBER;
            case WRONG_TYPE -> "{\"value\":" + text(r) + "}";
        };
        return broken.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Sample.Reading r) {
        return r.kind() == DeviceKind.DOOR ? Integer.toString((int) r.value())
                : BigDecimal.valueOf(r.value()).toPlainString();
    }
}
