package io.edgeagent.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;

/** edge-agent JSON locations on {@code trackers/<deviceId>/location} (event-format.md section 2). */
final class AgentJsonLocations implements PayloadEncoder<Sample.Position> {

    @Override
    public String topic(Sample.Position p) {
        return "trackers/" + p.deviceId() + "/location";
    }

    @Override
    public byte[] payload(Sample.Position p, Instant ts) {
        return JsonPayloads.bytes(tree(p, ts));
    }

    @Override
    public byte[] malformed(Sample.Position p, Instant ts, Malformation how) {
        ObjectNode tree = tree(p, ts);
        return JsonPayloads.malformed(tree, tree, "lat", how);
    }

    private static ObjectNode tree(Sample.Position p, Instant ts) {
        return JsonPayloads.object().put("deviceId", p.deviceId()).put("lat", p.lat()).put("lon", p.lon())
                .put("accuracy", p.accuracy()).put("speed", p.speed()).put("heading", p.heading())
                .put("ts", ts.toString());
    }
}
