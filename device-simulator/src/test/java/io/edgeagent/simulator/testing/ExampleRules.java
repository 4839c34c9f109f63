package io.edgeagent.simulator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.simulator.PlannedMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent, simplified reading of the agent's example rules (rules/*.yaml), applied to a plan of edge-agent
 * JSON messages on its send times, so a test can check that each built-in scenario gives every rule what its
 * expectations promise. The geofence uses a 25 m hysteresis margin plus the fix's accuracy, as the agent's demo does.
 */
public final class ExampleRules {

    public static final double DEPOT_LAT = 52.5200;
    public static final double DEPOT_LON = 13.4050;
    public static final double DEPOT_RADIUS_M = 300;
    public static final double FENCE_MARGIN_M = 25;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Duration> firstFirings = new LinkedHashMap<>();
    private final Map<String, Deque<double[]>> temperatures = new HashMap<>();
    private final Map<String, Duration> lastReading = new HashMap<>();
    private final Map<String, String> fenceState = new HashMap<>();
    private final Map<String, double[]> firstPosition = new HashMap<>();
    private final Map<String, Double> doorWatch = new HashMap<>();
    private final Map<String, Boolean> doorOpen = new HashMap<>();

    /** When each rule first fired for each device, keyed {@code rule/device}. */
    public static Map<String, Duration> firstFirings(Iterable<PlannedMessage> plan, Duration scenarioEnd) {
        ExampleRules rules = new ExampleRules();
        for (PlannedMessage m : plan) {
            rules.accept(m);
        }
        rules.temperatures.forEach((device, window) -> {
            long end = wholeSecond((long) window.peekLast()[0]) + 1000;
            if (end <= scenarioEnd.toMillis()) {
                rules.sustainedHigh(device, window, end);
            }
        });
        rules.lastReading.forEach((device, last) -> {
            if (last.plusSeconds(15).compareTo(scenarioEnd) <= 0) {
                rules.fire("device-silent", device, last.plusSeconds(15));
            }
        });
        return rules.firstFirings;
    }

    private void accept(PlannedMessage m) {
        JsonNode p;
        try {
            p = JSON.readTree(m.payload());
        } catch (IOException malformed) {
            return;
        }
        Duration t = m.offset();
        if (m.topic().startsWith("sensors/") && p.path("value").isNumber()) {
            reading(t, p.get("deviceId").asText(), p.get("type").asText(), p.get("value").asDouble());
        } else if (m.topic().startsWith("trackers/") && p.path("lat").isNumber()) {
            location(t, p.get("deviceId").asText(), p.get("lat").asDouble(), p.get("lon").asDouble(),
                    p.get("accuracy").asDouble(), p.get("speed").asDouble());
        }
    }

    private void reading(Duration t, String device, String type, double value) {
        Duration last = lastReading.put(device, t);
        if (last != null && t.minus(last).compareTo(Duration.ofSeconds(15)) > 0) {
            fire("device-silent", device, last.plusSeconds(15));
        }
        if (type.equals("door")) {
            String room = device.substring("door-".length());
            boolean open = value == 1;
            if (open && !Boolean.TRUE.equals(doorOpen.get(room))) {
                doorWatch.remove(room);
            }
            doorOpen.put(room, open);
            return;
        }
        if (!type.equals("temperature")) {
            return;
        }
        if (value > 8.0) {
            fire("temperature-high", device, t);
        }
        long now = t.toMillis();
        Deque<double[]> window = temperatures.computeIfAbsent(device, d -> new ArrayDeque<>());
        // temperature-sustained-high is checked at the end of each whole second that had a reading of the device,
        // over the 30 whole seconds before it: the second of the previous reading has ended when a later one comes.
        if (!window.isEmpty() && wholeSecond((long) window.peekLast()[0]) < wholeSecond(now)) {
            sustainedHigh(device, window, wholeSecond((long) window.peekLast()[0]) + 1000);
        }
        window.addLast(new double[] {now, value});
        // temperature-rapid-rise keeps the readings since the start of the whole second 60 s earlier.
        while (window.peekFirst()[0] < wholeSecond(now - 60_000)) {
            window.removeFirst();
        }
        double min = window.stream().mapToDouble(r -> r[1]).min().orElse(value);
        if (value - min > 3.0) {
            fire("temperature-rapid-rise", device, t);
        }
        if (Boolean.TRUE.equals(doorOpen.get(device))) {
            Double first = doorWatch.putIfAbsent(device, value);
            if (first != null && value > first + 1.0) {
                fire("door-open-warming", device, t);
            }
        }
    }

    private void sustainedHigh(String device, Deque<double[]> window, long end) {
        double[] last30 = window.stream().filter(r -> r[0] >= end - 30_000 && r[0] < end).mapToDouble(r -> r[1])
                .toArray();
        if (last30.length >= 5 && Arrays.stream(last30).average().orElse(0) > 6.0) {
            fire("temperature-sustained-high", device, Duration.ofMillis(end));
        }
    }

    private static long wholeSecond(long millis) {
        return Math.floorDiv(millis, 1000) * 1000;
    }

    private void location(Duration t, String device, double lat, double lon, double accuracy, double speed) {
        if (speed > 25) {
            fire("speeding", device, t);
        }
        double[] first = firstPosition.computeIfAbsent(device, d -> new double[] {lat, lon});
        if (distance(first[0], first[1], lat, lon) > 1000) {
            fire("moved-far", device, t);
        }
        double fromCentre = distance(DEPOT_LAT, DEPOT_LON, lat, lon);
        double band = FENCE_MARGIN_M + accuracy;
        String state = fromCentre < DEPOT_RADIUS_M - band ? "inside"
                : fromCentre > DEPOT_RADIUS_M + band ? "outside" : "border";
        if (state.equals("border")) {
            return;
        }
        String previous = fenceState.put(device, state);
        if ("inside".equals(previous) && state.equals("outside")) {
            fire("geofence-exit", device, t);
        } else if ("outside".equals(previous) && state.equals("inside")) {
            fire("geofence-enter", device, t);
        }
    }

    private void fire(String rule, String device, Duration t) {
        firstFirings.merge(rule + "/" + device, t, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /** Haversine distance in metres. */
    public static double distance(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2))
                * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
    }
}
