package io.edgeagent.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;

/** edge-agent JSON readings on {@code sensors/<deviceId>/<type>} (event-format.md section 1). */
final class AgentJsonReadings implements PayloadEncoder<Sample.Reading> {

    @Override
    public String topic(Sample.Reading r) {
        return "sensors/" + r.deviceId() + "/" + r.kind().readingType();
    }

    @Override
    public byte[] payload(Sample.Reading r, Instant ts) {
        return JsonPayloads.bytes(tree(r, ts));
    }

    @Override
    public byte[] malformed(Sample.Reading r, Instant ts, Malformation how) {
        ObjectNode tree = tree(r, ts);
        return JsonPayloads.malformed(tree, tree, "value", how);
    }

    private static ObjectNode tree(Sample.Reading r, Instant ts) {
        ObjectNode o = JsonPayloads.object().put("deviceId", r.deviceId()).put("type", r.kind().readingType());
        if (r.kind() == DeviceKind.DOOR) {
            o.put("value", (int) r.value());
        } else {
            o.put("value", r.value());
        }
        if (r.kind().unit() != null) {
            o.put("unit", r.kind().unit());
        }
        return o.put("ts", ts.toString());
    }
}
