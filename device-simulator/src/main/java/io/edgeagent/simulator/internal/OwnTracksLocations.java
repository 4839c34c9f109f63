package io.edgeagent.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;

/**
 * OwnTracks {@code owntracks/simulator/<deviceId>} locations (event-format.md section 5): {@code tst} in epoch seconds,
 * {@code vel} in whole km/h, {@code acc} and {@code cog} whole numbers, as the app publishes them.
 */
final class OwnTracksLocations implements PayloadEncoder<Sample.Position> {

    /** The OwnTracks user every simulated device belongs to: the second topic level. */
    static final String USER = "simulator";

    @Override
    public String topic(Sample.Position p) {
        return "owntracks/" + USER + "/" + p.deviceId();
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
        String id = p.deviceId();
        return JsonPayloads.object().put("_type", "location").put("lat", p.lat()).put("lon", p.lon())
                .put("acc", Math.round(p.accuracy())).put("vel", Math.round(p.speed() * 3.6))
                .put("cog", Math.round(p.heading()) % 360).put("tst", ts.getEpochSecond())
                .put("tid", id.substring(Math.max(0, id.length() - 2)));
    }
}
